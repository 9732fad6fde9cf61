export { startSimulator, defaultAcceptKey, type Simulator, type SimulatorOptions } from './server';
export type { RecordedRequest } from './control';
export { FaultController, FAULT_KINDS, FAULT_TARGETS, type FaultKind, type FaultSpec, type FaultTarget } from './faults';
export { MARKERS, CLIPS, type PromptMarkers, type SimClip } from './markers';
export type { IdStyle, SimStatus, SimTask } from './jobs';
export { PROFILES, PROFILE_NAMES, PROGRESS_STYLES, type ProfileName, type ProgressStyle } from './profiles';
export { createJob, jobState, type Timing } from './jobs';
export { CATALOGUE } from './models';
export { REFUSAL_WORDINGS, type RefusalWording } from './relayErrors';
export {
  ID_KINDS,
  QUERY_SHAPES,
  VIDEO_PLACES,
  RECORD_URL_PLACES,
  WIRE_MARKERS,
  type IdKind,
  type QueryShape,
  type VideoPlace,
  type RelayTask,
  type TaskWire,
  type WireName,
  type WireOptions,
} from './wire';
