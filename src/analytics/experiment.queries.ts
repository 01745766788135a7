// Offer experiments in the database: create (a draft), start, stop, list, and the one running experiment the paywall box shows.
import type { Kysely, Transaction } from 'kysely';
import { recordContentChange } from '../content/index.ts';
import { newId, nowIso, type Database, type ExperimentRow, type ExperimentVariantRow } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { parseExperimentInput, variantField, type Experiment, type ExperimentInput, type ExperimentVariant, type VariantKey } from './experiment.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Starting or stopping an experiment changes the offer box of every Plus article page: the pages naming the surrogate
 * key `offers` (and the remembered running experiment) are dropped in every process and at the CDN (decision 018).
 */
const OFFER_PAGES = ['offers'];

const variantOf = (r: ExperimentVariantRow): ExperimentVariant => ({
  id: r.id, key: r.key as VariantKey, headline: r.headline, body: r.body, offerId: r.offer_id, share: r.share, position: r.position,
});

const experimentOf = (r: ExperimentRow, variants: ExperimentVariantRow[]): Experiment => ({
  id: r.id, name: r.name, state: r.state, createdBy: r.created_by, createdAt: r.created_at, startedAt: r.started_at, endedAt: r.ended_at,
  variants: variants.filter((v) => v.experiment_id === r.id).sort((a, b) => a.position - b.position).map(variantOf),
});

async function withVariants(db: Db, rows: ExperimentRow[]): Promise<Experiment[]> {
  if (rows.length === 0) return [];
  const variants = await db.selectFrom('experiment_variants').selectAll().where('experiment_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => experimentOf(r, variants));
}

/** Newest first: running, then drafts and ended ones by creation. */
export async function listExperiments(db: Db): Promise<Experiment[]> {
  const rows = await db.selectFrom('experiments').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  const all = await withVariants(db, rows);
  return [...all.filter((e) => e.state === 'running'), ...all.filter((e) => e.state !== 'running')];
}

export async function findExperiment(db: Db, id: string): Promise<Experiment | null> {
  const row = await db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withVariants(db, [row]))[0]! : null;
}

/** The experiment the offer box shows, or null. At most one runs (a unique index on the running state, migration 014). */
export async function runningExperiment(db: Db): Promise<Experiment | null> {
  const row = await db.selectFrom('experiments').selectAll().where('state', '=', 'running').executeTakeFirst();
  return row ? (await withVariants(db, [row]))[0]! : null;
}

/** Whether a variant id exists: order forms and beacons carry one as a hint, and only a real one is kept. */
export async function experimentVariantExists(db: Db, id: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return false;
  return (await db.selectFrom('experiment_variants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Offers a variant may sell: subscriptions on sale (a gift offer or one taken off sale would break the box's order link). */
async function assertOffersOnSale(db: Db, variants: { key: string; offerId: string | null }[]): Promise<void> {
  const ids = [...new Set(variants.map((v) => v.offerId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const onSale = new Set((await db.selectFrom('offers').select('id').where('id', 'in', ids).where('active', '=', 1).where('kind', '=', 'recurring').execute()).map((r) => r.id));
  const problems = variants.filter((v) => v.offerId !== null && !onSale.has(v.offerId))
    .map((v) => ({ path: variantField('offer', v.key), message: `Das Angebot von Variante ${v.key} gibt es nicht oder es ist nicht als Abo bestellbar.` }));
  if (problems.length) throw new DomainError('invalid-input', problems[0]!.message, problems[0]!.path, problems);
}

const inTransaction = <T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);

/** A new experiment as a draft: nothing changes for readers until it is started. */
export async function createExperiment(db: Db, input: ExperimentInput, o: { by: string | null; now: Date }): Promise<Experiment> {
  const parsed = parseExperimentInput(input);
  return inTransaction(db, async (trx) => {
    await assertOffersOnSale(trx, parsed.variants);
    const id = newId();
    await trx.insertInto('experiments').values({ id, name: parsed.name, state: 'draft', created_by: o.by, created_at: nowIso(o.now), started_at: null, ended_at: null }).execute();
    await trx.insertInto('experiment_variants').values(parsed.variants.map((v, position) => ({
      id: newId(), experiment_id: id, key: v.key, headline: v.headline, body: v.body, offer_id: v.offerId, share: v.share, position,
    }))).execute();
    return (await findExperiment(trx, id))!;
  });
}

const stateName = { draft: 'ist ein Entwurf', running: 'läuft bereits', ended: 'ist beendet' } as const;

/**
 * Draft → running, as a compare-and-set on the state, with the content change in the same transaction. A second running
 * experiment is refused: by the check here, and — when two starts race — by the unique index, whose violation is
 * reported as the same conflict.
 */
export async function startExperiment(db: Kysely<Database>, id: string, o: { now: Date }): Promise<Experiment> {
  try {
    return await db.transaction().execute(async (trx) => {
      const experiment = await findExperiment(trx, id);
      if (!experiment) throw new DomainError('not-found', 'Dieses Experiment gibt es nicht.', 'id');
      if (experiment.state !== 'draft') throw new DomainError('conflict', `Dieses Experiment ${stateName[experiment.state]}; starten lässt sich nur ein Entwurf.`, 'state');
      await refuseSecondRunning(trx, id);
      await assertOffersOnSale(trx, experiment.variants);
      const changed = await trx.updateTable('experiments').set({ state: 'running', started_at: nowIso(o.now) }).where('id', '=', id).where('state', '=', 'draft').executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('conflict', 'Das Experiment wurde inzwischen geändert. Bitte laden Sie die Seite neu.', 'state');
      await recordContentChange(trx, OFFER_PAGES);
      return (await findExperiment(trx, id))!;
    });
  } catch (e) {
    if (e instanceof DomainError) throw e;
    // the unique index refused a second running experiment that started at the same moment
    await refuseSecondRunning(db, id);
    throw e;
  }
}

async function refuseSecondRunning(db: Db, id: string): Promise<void> {
  const other = await runningExperiment(db);
  if (other && other.id !== id) {
    throw new DomainError('conflict', `Es läuft bereits ein Experiment („${other.name}“). Beenden Sie es, bevor Sie ein weiteres starten.`, 'state');
  }
}

/** Running → ended: the box shows the featured offer again; the results stay. An ended experiment does not start again. */
export async function stopExperiment(db: Db, id: string, o: { now: Date }): Promise<Experiment> {
  return inTransaction(db, async (trx) => {
    const experiment = await findExperiment(trx, id);
    if (!experiment) throw new DomainError('not-found', 'Dieses Experiment gibt es nicht.', 'id');
    if (experiment.state !== 'running') throw new DomainError('conflict', `Dieses Experiment ${stateName[experiment.state]}; beenden lässt sich nur ein laufendes.`, 'state');
    const changed = await trx.updateTable('experiments').set({ state: 'ended', ended_at: nowIso(o.now) }).where('id', '=', id).where('state', '=', 'running').executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('conflict', 'Das Experiment wurde inzwischen geändert. Bitte laden Sie die Seite neu.', 'state');
    await recordContentChange(trx, OFFER_PAGES);
    return (await findExperiment(trx, id))!;
  });
}
