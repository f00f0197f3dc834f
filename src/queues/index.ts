export { QUEUES, type QueueName } from './names';
export { DEFAULT_RETRY, outboundJobId, outboundJobOptions, type OutboundJob, type OutboundRetry } from './outbound';
export { bullConnection, bullOptions } from './connection';
export { queuePrefix } from '../store/redis';
