/**
 * `insertRow` (src/db/fast-sql.ts): a row written straight to a pooled pg client reads back
 * through the ORM exactly; database errors arrive as the ORM's exceptions; inside a transaction
 * the row goes through the transaction's connection and is rolled back with it; concurrent inserts
 * are coalesced into multi-row statements (rows of one statement share one transaction id,
 * `xmin`), and a row the server refuses in such a statement fails its own caller only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, onServer } from '../src/db/admin.js';
import { INSERT_CONCURRENCY, insertRow } from '../src/db/fast-sql.js';
import { connectOrm, migrate } from '../src/db/orm.js';
import { LoanSimulation } from '../src/modules/loan-simulations/loan-simulation.entity.js';
import { serverUrl } from './support/harness.js';

const name = `greenfin_test_${randomBytes(6).toString('hex')}`;
let orm: MikroORM;
const organization = randomUUID();
const company = randomUUID();

/** A simulation row with every kind of column: uuids, bigints, a date, a text[], json, the schedule. */
function simulation(overrides: Partial<LoanSimulation> = {}): LoanSimulation {
  return {
    id: randomUUID(),
    organization,
    company,
    principalAmount: 9_007_199_254_740_000, // beyond int32, within a double's integers
    currency: 'GBP',
    termMonths: 2,
    method: 'annuity',
    frequency: 'monthly',
    dayCount: '30/360',
    startDate: '2026-12-03',
    baseRate: 0.0525,
    creditSpread: 0.02,
    upfrontFee: 0,
    perPaymentFee: 150,
    defaultsApplied: ['baseRate', `it's "quoted"`],
    project: null,
    finalRate: 0.0675,
    apr: 0.0697,
    scoreBand: 'B',
    pricing: { note: 'ünïcödé £ and \\ and "quotes"' } as never,
    schedule: [
      { number: 1, date: '2027-01-03', days: 31, payment: 100, interest: 10, principal: 90, balance: 90 },
      { number: 2, date: '2027-02-03', days: 31, payment: 91, interest: 1, principal: 90, balance: 0 },
    ],
    greenScore: Object.freeze({ score: 70, band: 'B' }) as never,
    co2Savings: null,
    financedEmissions: null,
    warnings: [],
    cashFlow: null,
    sustainabilityLinked: null,
    createdByKind: 'api-key',
    createdById: randomUUID(),
    idempotencyKey: null,
    version: 1,
    createdAt: new Date('2026-12-03T01:02:03.456Z'),
    ...overrides,
  };
}

beforeAll(async () => {
  await onServer(serverUrl, [`create database ${name}`]);
  orm = await connectOrm(databaseUrl(serverUrl, name));
  await migrate(orm);
  const sql = orm.em.getConnection();
  await sql.execute(`insert into organizations (id, name, created_at) values (?, 'Rows Ltd', now())`, [
    organization,
  ]);
  await sql.execute(
    `insert into companies (id, organization_id, jurisdiction, company_number, name, created_at, updated_at)
     values (?, ?, 'gb', '00000001', 'Rows Ltd', now(), now())`,
    [company, organization],
  );
});

afterAll(async () => {
  await orm?.close();
  await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
});

describe('insertRow', () => {
  it('writes a row that the ORM reads back field for field', async () => {
    const row = simulation();
    await insertRow(orm.em.fork(), LoanSimulation, row);
    const read = await orm.em
      .fork()
      .findOneOrFail(LoanSimulation, { id: row.id }, { populate: ['schedule'] as never });
    expect({ ...read }).toEqual({ ...row, greenScore: { score: 70, band: 'B' } });
  });

  it('commits asynchronously when asked, with the same row', async () => {
    const row = simulation();
    await insertRow(orm.em.fork(), LoanSimulation, row, { synchronousCommit: false });
    expect(await orm.em.fork().count(LoanSimulation, { id: row.id })).toBe(1);
  });

  it("raises the ORM's exceptions for a duplicate key and a missing company", async () => {
    const row = simulation();
    await insertRow(orm.em.fork(), LoanSimulation, row);
    await expect(insertRow(orm.em.fork(), LoanSimulation, row)).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
    await expect(
      insertRow(orm.em.fork(), LoanSimulation, simulation({ company: randomUUID() })),
    ).rejects.toBeInstanceOf(ForeignKeyConstraintViolationException);
  });

  it("inside a transaction, writes on the transaction's connection and rolls back with it", async () => {
    const row = simulation();
    await expect(
      orm.em.fork().transactional(async (em) => {
        await insertRow(em, LoanSimulation, row);
        // Visible inside the transaction …
        expect(await em.count(LoanSimulation, { id: row.id })).toBe(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // … and gone with it.
    expect(await orm.em.fork().count(LoanSimulation, { id: row.id })).toBe(0);
  });

  it('coalesces concurrent inserts into fewer statements, every row committed and read back', async () => {
    const rows = Array.from({ length: 60 }, () => simulation());
    await Promise.all(rows.map((row) => insertRow(orm.em.fork(), LoanSimulation, row)));
    const ids = rows.map((r) => r.id);
    const { rows: stored } = (await orm.em
      .getConnection()
      .getKnex()
      .raw(
        `select count(*)::int as n, count(distinct xmin::text)::int as statements from loan_simulations where id = any(?)`,
        [ids],
      )) as { rows: { n: number; statements: number }[] };
    expect(stored[0]!.n).toBe(60);
    // The first INSERT_CONCURRENCY go alone; the rest wait and share statements.
    expect(stored[0]!.statements).toBeGreaterThanOrEqual(INSERT_CONCURRENCY);
    expect(stored[0]!.statements).toBeLessThan(30);
    const read = await orm.em.fork().find(LoanSimulation, { id: ids }, { populate: ['schedule'] as never });
    expect(read.map((r) => ({ ...r })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      rows
        .map((r) => ({ ...r, greenScore: { score: 70, band: 'B' } }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('fails only the caller whose row the server refuses in a coalesced statement', async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      simulation(i === 25 ? { company: randomUUID() } : i === 33 ? { organization: randomUUID() } : {}),
    );
    const outcomes = await Promise.allSettled(
      rows.map((row) => insertRow(orm.em.fork(), LoanSimulation, row)),
    );
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([25, 33]);
    for (const i of failed) {
      expect((outcomes[i] as PromiseRejectedResult).reason).toBeInstanceOf(
        ForeignKeyConstraintViolationException,
      );
    }
    const { rows: stored } = (await orm.em
      .getConnection()
      .getKnex()
      .raw(`select count(*)::int as n from loan_simulations where id = any(?)`, [rows.map((r) => r.id)])) as {
      rows: { n: number }[];
    };
    expect(stored[0]!.n).toBe(38);
  });
});
