/**
 * The entry points' one read of the environment: settings and campaign, validated once.
 * A bad setting is the user's to fix: one line naming it, exit 2, never a stack trace.
 */
import { CampaignError, loadCampaign, type Campaign } from '../config/campaign';
import { ConfigError, loadConfig, parseInstant, type ConfigWith, type EnvName, type Requirement } from '../config/env';
import { clockStartingAt, systemClock, type Clock } from '../domain/clock';

export interface Settings<R extends Requirement> {
  config: ConfigWith<R>;
  campaign: Campaign;
  clock: Clock;
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export function loadSettings<R extends Requirement = never>(
  require: readonly R[],
  overrides: Partial<Record<EnvName, string | undefined>> = {},
): Settings<R> {
  try {
    const config = loadConfig<R>(process.env, { require, overrides });
    const campaign = loadCampaign(config.campaignFile ?? undefined);
    const clock = config.now ? clockStartingAt(config.now) : systemClock;
    return { config, campaign, clock };
  } catch (err) {
    if (err instanceof ConfigError || err instanceof CampaignError) throw new SettingsError(err.message);
    throw err;
  }
}

/** `--received` and the like: an ISO-8601 instant, or a usage error naming the option. */
export function instantOption(option: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = parseInstant(value);
  if (!at) throw new SettingsError(`${option} must be an ISO-8601 date or date-time (got ${JSON.stringify(value)})`);
  return at;
}

/** `--redis-prefix`: a namespace of letters, digits, _ . - (it goes into every key and queue name); the one-line problem, or null. */
export function redisPrefixProblem(prefix: string | undefined): string | null {
  return prefix === undefined || /^[A-Za-z0-9_.-]+$/.test(prefix) ? null : '--redis-prefix: letters, digits, _ . - only';
}
