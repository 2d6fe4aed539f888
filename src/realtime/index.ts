/** The realtime service's front door: its factory (it offers no port to other services). */
export { createRealtimeService, type RealtimeDeps } from './create-realtime-service.js';
export type { RealtimeHub, RealtimeOptions } from './realtime-hub.js';
export { ClientMessageSchema, ServerMessageSchema, type ClientMessage, type ServerMessage, type BoardEntry } from './protocol.js';
