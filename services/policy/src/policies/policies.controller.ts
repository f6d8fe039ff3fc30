import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ActivatePolicyRequest,
  ActivationReply,
  DomainError,
  ErrorCode,
  GetPolicyReply,
  GetPolicyRequest,
  ListPoliciesReply,
  PolicySubjects,
  RollbackPolicyRequest,
  UploadPolicyReply,
  UploadPolicyRequest,
} from '@iis/contracts';
import { PolicyStoreService } from './policy-store.service';

function actorOf(req: { actor?: unknown } | undefined): string {
  if (!req || typeof req.actor !== 'string' || !req.actor.trim()) throw new DomainError(ErrorCode.BadRequest, 'actor is required');
  return req.actor.trim().slice(0, 200);
}
function reasonOf(req: { reason?: unknown } | undefined): string | undefined {
  return typeof req?.reason === 'string' && req.reason.trim() ? req.reason.trim() : undefined;
}

/** Policy documents: upload, activate, roll back, list, get. */
@Controller()
export class PoliciesController {
  constructor(private readonly store: PolicyStoreService) {}

  @MessagePattern(PolicySubjects.upload)
  upload(@Payload() req: UploadPolicyRequest): Promise<UploadPolicyReply> {
    return this.store.upload(req?.document, actorOf(req), req?.activate === true, reasonOf(req));
  }

  @MessagePattern(PolicySubjects.activate)
  activate(@Payload() req: ActivatePolicyRequest): Promise<ActivationReply> {
    return this.store.activate(Number(req?.version), actorOf(req), reasonOf(req), 'activate');
  }

  @MessagePattern(PolicySubjects.rollback)
  rollback(@Payload() req: RollbackPolicyRequest): Promise<ActivationReply> {
    return this.store.rollback(actorOf(req), reasonOf(req));
  }

  @MessagePattern(PolicySubjects.list)
  list(): Promise<ListPoliciesReply> {
    return this.store.list();
  }

  @MessagePattern(PolicySubjects.get)
  get(@Payload() req: GetPolicyRequest): Promise<GetPolicyReply> {
    return this.store.get(req?.version === undefined ? undefined : Number(req.version));
  }
}
