// node-postgres (npm `pg`) through the shardgate proxy. Run by io.shardgate.it.proxy.ProxyClientsNodeIT:
// connection settings come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE; table names from ND_USERS.
// Prints one JSON object on stdout with what each step saw; the Java test checks it against the shards.
'use strict';
const { Client } = require('pg');

const users = process.env.ND_USERS || 'nd_users';

async function main() {
  const out = { steps: [] };
  const client = new Client(); // PG* environment; the proxy asks for SCRAM-SHA-256
  await client.connect();
  out.connected = true;

  // simple query protocol (no parameters)
  let r = await client.query('SELECT 1 AS one, \'x\' AS letter');
  out.simple = r.rows[0];

  // parameterised inserts: $1.. go with Parse/Bind/Execute (unnamed statement)
  out.inserted = 0;
  for (let id = 1; id <= 20; id++) {
    r = await client.query(`INSERT INTO ${users} (id, name, score) VALUES ($1, $2, $3)`, [id, 'user' + id, id * 3 % 11]);
    out.inserted += r.rowCount;
  }
  r = await client.query(`SELECT id, name, score FROM ${users} WHERE id = $1`, [7]);
  out.byId = r.rows[0];

  // a named prepared statement, executed several times (parsed once on each connection)
  out.named = [];
  for (const id of [3, 11, 19, 3]) {
    r = await client.query({ name: 'user-by-id', text: `SELECT name FROM ${users} WHERE id = $1`, values: [id] });
    out.named.push(r.rows.length === 1 ? r.rows[0].name : null);
  }

  // a transaction with an error, then ROLLBACK: nothing of it stays
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${users} (id, name, score) VALUES ($1, $2, $3)`, [100, 'rolled-back', 1]);
  try {
    await client.query(`INSERT INTO ${users} (id, name, score) VALUES ($1, $2, $3)`, [1, 'duplicate', 1]);
    out.txError = null;
  } catch (e) {
    out.txError = e.code;
  }
  try {
    await client.query('SELECT 1');
    out.afterError = null;
  } catch (e) {
    out.afterError = e.code; // 25P02 until ROLLBACK
  }
  await client.query('ROLLBACK');
  r = await client.query(`SELECT count(*)::int AS n FROM ${users} WHERE id = $1`, [100]);
  out.afterRollback = r.rows[0].n;

  // a committed transaction over both shards
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${users} (id, name, score) VALUES ($1, $2, $3)`, [21, 'user21', 5]);
  await client.query(`INSERT INTO ${users} (id, name, score) VALUES ($1, $2, $3)`, [22, 'user22', 6]);
  await client.query('COMMIT');

  // merged reads over the shards
  r = await client.query(`SELECT id FROM ${users} ORDER BY id DESC LIMIT 5`);
  out.top5 = r.rows.map((row) => Number(row.id));
  r = await client.query(`SELECT count(*) AS n, sum(score) AS total, max(id) AS maxid FROM ${users}`);
  out.aggregate = { n: Number(r.rows[0].n), total: Number(r.rows[0].total), maxid: Number(r.rows[0].maxid) };
  r = await client.query(`SELECT score, count(*) AS n FROM ${users} WHERE score >= $1 GROUP BY score ORDER BY score`, [5]);
  out.groups = r.rows.map((row) => [Number(row.score), Number(row.n)]);

  // count(*)::int comes back as a JS number (int4), merged across the shards
  r = await client.query(`SELECT count(*)::int AS n FROM ${users}`);
  out.countInt = { n: r.rows[0].n, type: typeof r.rows[0].n };
  // key = ANY($1) with a JS array: written on the keys' shards (refused as a scatter write before)
  r = await client.query(`UPDATE ${users} SET score = score WHERE id = ANY($1)`, [[3, 4, 999]]);
  out.anyUpdated = r.rowCount;
  // RETURNING across shards: the rows of every shard, under the write's own command tag
  r = await client.query(`INSERT INTO ${users} (id, name, score) VALUES (101, 'user101', 1), (102, 'user102', 1), (103, 'user103', 1), (104, 'user104', 1) RETURNING id`);
  out.insertReturning = { command: r.command, rowCount: r.rowCount, rows: r.rows.length };
  r = await client.query(`DELETE FROM ${users} WHERE id IN (101, 102, 103, 104) RETURNING id`);
  out.deleteReturning = { command: r.command, rowCount: r.rowCount, rows: r.rows.length };
  // a parameter every shard refuses at Bind: the error comes back and the connection goes on
  try {
    await client.query(`SELECT id FROM ${users} WHERE score = $1`, ['not a number']);
  } catch (e) {
    out.bindError = e.code;
  }

  // EXPLAIN ROUTE, simple and extended
  r = await client.query(`EXPLAIN ROUTE SELECT * FROM ${users} WHERE id = 7`);
  out.explain = r.rows.map((row) => row.shard);
  out.explainColumns = r.fields.map((f) => f.name);
  r = await client.query(`EXPLAIN ROUTE SELECT * FROM ${users}`);
  out.explainAll = r.rows.map((row) => row.shard);

  // an error outside a transaction leaves the connection usable
  try {
    await client.query('SELECT * FROM nd_no_such_table');
  } catch (e) {
    out.missingTable = e.code;
  }
  r = await client.query('SELECT 2 AS two');
  out.stillUsable = r.rows[0].two;

  await client.end();
  out.ended = true;
  return out;
}

main().then(
  (out) => {
    process.stdout.write(JSON.stringify(out) + '\n');
  },
  (e) => {
    process.stdout.write(JSON.stringify({ failed: String(e && e.stack || e), code: e && e.code }) + '\n');
    process.exitCode = 1;
  },
);
