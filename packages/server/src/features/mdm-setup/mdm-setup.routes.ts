import {
  deleteApnsCertificate,
  getAppleMdm,
  getAppleMdmCsr,
  uploadApnsCertificate,
} from '@fleet/api'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import * as service from './mdm-setup.service.js'

export function registerMdmSetupRoutes(
  r: EndpointRegistrar,
  { setup }: { setup: service.MdmSetupDeps },
): void {
  registerEndpoint(r, getAppleMdmCsr, async (_input, ctx) => ({
    csr: await service.requestCsr(setup, ctx),
  }))
  registerEndpoint(r, uploadApnsCertificate, async ({ body }, ctx) => {
    await service.uploadApnsCertificate(setup, ctx, body)
    return {}
  })
  registerEndpoint(r, deleteApnsCertificate, async (_input, ctx) => {
    await service.deleteApnsCertificate(setup, ctx)
    return {}
  })
  registerEndpoint(r, getAppleMdm, (_input, ctx) => service.getAppleMdm(setup, ctx))
}
