export { startSimulator, defaultAcceptKey, type Simulator, type SimulatorOptions } from './server';
export type { RecordedRequest } from './control';
export { FaultController, FAULT_KINDS, FAULT_TARGETS, type FaultKind, type FaultSpec, type FaultTarget } from './faults';
export { MARKERS, CLIPS, type PromptMarkers, type SimClip } from './markers';
export type { IdStyle, SimStatus, SimTask } from './jobs';
export { PROFILES, PROFILE_NAMES, PROGRESS_STYLES, type ProfileName, type ProgressStyle } from './profiles';
export { createJob, jobState, type Timing } from './jobs';
