import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@iis/contracts';
import { buildCrlDer, issuerInfo, keyObjectSigner } from '@iis/pki';
import { openIssuerKey } from '../hierarchy/hierarchy-store';
import { IssuerEntity } from '../hierarchy/issuer.entity';
import { AuthorityCrlEntity } from './authority-crl.entity';
import { takeCrlNumbers } from './crl-numbers';

/** An online root re-signs its ARL weekly (at half-life); one about to go offline signs it for a year. */
export const ONLINE_ARL_DAYS = 7;
export const OFFLINE_ARL_DAYS = 365;

/**
 * The root's CRL over the issuing CAs it certified (an ARL, RFC 5280 5). Relying parties that
 * check the whole chain (nginx's `ssl_crl`, `openssl verify -crl_check_all`) need a CRL from
 * every CA in it, the root included. Issuing CAs are retired at rotation, never revoked (their
 * certificates stay valid), so the list is empty; what matters is that it is signed and current.
 */
export async function issueAuthorityCrl(ds: DataSource, keyPassphrase: string, now: Date, validityDays: number): Promise<AuthorityCrlEntity> {
  const root = await ds.getRepository(IssuerEntity).findOneBy({ kind: 'root' });
  if (!root) throw new DomainError(ErrorCode.NotFound, 'there is no root CA');
  if (!root.encryptedKey) throw new DomainError(ErrorCode.Conflict, `the root key of ${root.id} is offline: import it (ca-admin import-root-key) to sign a new ARL`);
  const keys = openIssuerKey(root, keyPassphrase);
  const crlNumber = await takeCrlNumbers(ds, root.id, 1);
  const nextUpdate = new Date(now.getTime() + validityDays * 86400_000);
  const der = buildCrlDer({
    issuer: issuerInfo(Buffer.from(root.certificate, 'base64')),
    signer: keyObjectSigner(keys.privateKey, keys.publicKey),
    crlNumber, thisUpdate: now, nextUpdate, entries: [],
  });
  const row: AuthorityCrlEntity = { issuerId: root.id, crl: der.toString('base64'), crlNumber, thisUpdate: now, nextUpdate };
  await ds.getRepository(AuthorityCrlEntity).save(row);
  return row;
}

export function storedAuthorityCrl(ds: DataSource, rootId: string): Promise<AuthorityCrlEntity | null> {
  return ds.getRepository(AuthorityCrlEntity).findOneBy({ issuerId: rootId });
}
