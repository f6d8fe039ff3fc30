import { DataSource } from 'typeorm';
import { CrlStateEntity } from './crl-state.entity';

/**
 * Takes `count` consecutive CRL numbers for an issuer and returns the first; atomic on SQLite
 * and PostgreSQL alike, so several CA instances (and ca-admin) never hand out the same number.
 * RFC 5280 5.2.3: the cRLNumber increases monotonically per issuer.
 */
export async function takeCrlNumbers(ds: DataSource, issuerId: string, count: number): Promise<number> {
  return ds.transaction(async (em) => {
    await em.createQueryBuilder().insert().into(CrlStateEntity).values({ issuerId, crlNumber: 0 }).orIgnore().execute();
    await em
      .createQueryBuilder()
      .update(CrlStateEntity)
      .set({ crlNumber: () => `"crlNumber" + ${count}` })
      .where('issuerId = :issuerId', { issuerId })
      .execute();
    const row = await em.findOneByOrFail(CrlStateEntity, { issuerId });
    return row.crlNumber - count + 1;
  });
}
