/**
 * The pipeline assembled from configuration: prepare (pure steps) and the decisions the store asks
 * for inside its transaction (case resolution, urgency, request-number issue). The clock is passed
 * in so tests pin time without touching globals.
 */
import type { RawItem } from '../../connectors/types.js';
import type { CaseContext, CaseStatus, Evidence, IngestDecider, RescoreDecider, Resolution, StoredComplaint, Urgency } from '../../db/repository.js';
import { statusOnCustomerMessage } from '../cases/workflow.js';
import type { Config } from '../config/config.js';
import { resolveCase } from './dedupe.js';
import { CategoryClassifier } from './categories/classifier.js';
import { loadCategoryRules, type CategoryRules } from './categories/rules.js';
import { findAmounts } from './facts/amounts.js';
import { addToCaseFacts } from './facts/stored-facts.js';
import type { Facts } from './facts/types.js';
import { prepareItem, scoringText, type PipelineItem } from './prepare.js';
import { ReferenceRecogniser, RequestNumberFormat } from './request-numbers.js';
import { UrgencyEngine, type ContactContext } from './urgency/engine.js';
import { loadRules, type UrgencyRules } from './urgency/rules.js';

export type Clock = () => Date;

export class Pipeline implements IngestDecider<PipelineItem> {
  /** The same decisions for messages already stored (`complaint-monitor rescore`). */
  readonly rescorer: RescoreDecider;

  readonly urgencyEngine: UrgencyEngine;
  readonly requestNumbers: RequestNumberFormat;
  readonly references: ReferenceRecogniser;
  readonly nearDuplicateWindowMs: number;
  readonly burstWindowMs: number;
  readonly categories: CategoryClassifier;
  readonly otherCategory: string;

  constructor(
    private readonly config: Config,
    rules: UrgencyRules = loadRules(config.urgency.rulesFile ?? undefined),
    private readonly clock: Clock = () => new Date(),
    categoryRules: CategoryRules = loadCategoryRules(config.categories.rulesFile ?? undefined),
  ) {
    this.urgencyEngine = new UrgencyEngine(rules);
    this.requestNumbers = new RequestNumberFormat(config.requestNumbers.format);
    this.references = new ReferenceRecogniser(this.requestNumbers, config.requestNumbers.patterns);
    this.nearDuplicateWindowMs = config.dedupe.nearDuplicateWindowDays * 86_400_000;
    this.burstWindowMs = this.urgencyEngine.rules.repeat.burstHours * 3_600_000;
    this.categories = new CategoryClassifier(categoryRules);
    this.otherCategory = categoryRules.other.id;
    this.rescorer = {
      now: () => this.clock(),
      burstWindowMs: this.burstWindowMs,
      urgency: (message, context) => this.urgencyOfStored(message, context),
    };
  }

  prepare(raw: RawItem): PipelineItem {
    return prepareItem(raw, {
      references: this.references,
      urgency: this.urgencyEngine,
      ...(this.config.categories.enabled ? { categories: this.categories } : {}),
      ...(this.config.facts.enabled ? { facts: { timeZone: this.config.timezone } } : {}),
      maxBodyChars: this.config.ingest.maxBodyChars,
    });
  }

  now(): Date {
    return this.clock();
  }

  resolve(item: PipelineItem, evidence: Evidence): Resolution {
    return resolveCase(item, evidence, { nearDuplicateSimilarity: this.config.dedupe.nearDuplicateSimilarity });
  }

  urgency(item: PipelineItem, context: CaseContext | null): Urgency {
    const contact = context ? contactContext(item.sentAt, context) : undefined;
    return this.urgencyEngine.assess(item.textReasons, item.authorFollowers ?? undefined, contact);
  }

  caseFacts(current: object | null, item: PipelineItem, messageRowId: number): object | null {
    return addToCaseFacts(current as Facts | null, item.facts as Facts | null, messageRowId);
  }

  /** Stored subject and body are normalised and redacted already, as prepare left them. */
  urgencyOfStored(message: StoredComplaint, context: CaseContext | null): Urgency {
    const text = scoringText(message.subject, message.body);
    const reasons = this.urgencyEngine.textReasons(text, findAmounts(text));
    const contact = context ? contactContext(message.sentAt, context) : undefined;
    return this.urgencyEngine.assess(reasons, message.authorFollowers ?? undefined, contact);
  }

  requestNumberScope(at: Date): string {
    return this.requestNumbers.scope(at, this.config.timezone);
  }

  formatRequestNumber(sequence: number, at: Date): string {
    return this.requestNumbers.issue(sequence, at, this.config.timezone);
  }

  statusOnCustomerMessage(status: CaseStatus): CaseStatus | null {
    return statusOnCustomerMessage(status);
  }
}

function contactContext(at: Date, context: CaseContext): ContactContext {
  return {
    nth: context.contactCount + 1,
    withinBurst: context.contactsInBurstWindow + 1,
    firstContactAt: context.firstContactAt.getTime() < at.getTime() ? context.firstContactAt : at,
    at,
  };
}
