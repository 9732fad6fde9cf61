export { startSimulator, defaultAcceptKey, type Simulator, type SimulatorOptions } from './server';
export type { RecordedRequest } from './control';
export { FaultController, FAULT_KINDS, FAULT_TARGETS, type FaultKind, type FaultSpec, type FaultTarget } from './faults';
export { MARKERS, type PromptMarkers } from './markers';
export type { IdStyle, SimStatus, SimTask } from './jobs';
export { PROFILES, PROFILE_NAMES, type ProfileName } from './profiles';
export { createJob, jobState, type Timing } from './jobs';
