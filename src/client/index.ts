/** The browser client library: everything a UI needs to take part in a Convene meeting. */
export { MeetingSession, type MeetingSessionOptions, type SessionEvents } from './MeetingSession.js';
export { HostControls, type Targets } from './HostControls.js';
export {
  ApiClient,
  jsonRequest,
  meetingLink,
  passcodeFromHash,
  type Account,
  type ApiClientOptions,
  type Meeting,
  type MeetingInput,
  type MeetingSettingsInput,
  type MeetingSettingsView,
  type RegionPolicy,
} from './api.js';
export { LocalMedia, type LocalMediaOptions, type LocalMediaState } from './LocalMedia.js';
export {
  SignalingClient,
  type SignalingEvents,
  type SignalingOptions,
  type SignalingState,
  type JoinCredentials,
} from './SignalingClient.js';
export { Publisher } from './Publisher.js';
export { Subscriber, type RemoteTrack } from './Subscriber.js';
export { ActiveSpeakerDetector, LocalAudioLevel } from './activeSpeaker.js';
export {
  listDevices,
  watchDevices,
  openCamera,
  openMicrophone,
  openScreen,
  type DeviceList,
  type DeviceOption,
} from './devices.js';
export { ClientError, errorCode, type ClientErrorCode } from './ClientError.js';
export { TypedEmitter } from '../util/TypedEmitter.js';
export type * from './types.js';
