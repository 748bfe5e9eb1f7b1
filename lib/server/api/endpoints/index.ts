import "server-only";
import type { Endpoint } from "../endpoint";
import { createChange, editChange, getChange, listChanges } from "./changes";
import * as changeSteps from "./change-steps";
import { getMe } from "./me";
import { listAuditEvents } from "./audit";
import { createCi, getCi, listCis, setCiDependencies, updateCi } from "./cis";
import { listFreezes, scheduleConflicts } from "./schedule";
import { getTemplate, listTemplates } from "./templates";
import { checkDeploymentGate, listDeploymentRecords, reportDeployment } from "./deployments";

/** Every /api/v1 operation, in the order the OpenAPI document lists them; each route file serves one of these. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of endpoints of every input and output type
export const ENDPOINTS: readonly Endpoint<any, any>[] = [
  getMe,
  listChanges,
  getChange,
  createChange,
  editChange,
  ...Object.values(changeSteps),
  listCis,
  getCi,
  createCi,
  updateCi,
  setCiDependencies,
  listTemplates,
  getTemplate,
  scheduleConflicts,
  listFreezes,
  listAuditEvents,
  checkDeploymentGate,
  reportDeployment,
  listDeploymentRecords,
];
