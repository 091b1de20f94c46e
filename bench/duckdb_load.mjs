// duckdb_load.mjs - make bench's DuckDB peer: loads JSONL files into a new
// DuckDB database file as a user would (CREATE TABLE ... AS SELECT * FROM
// read_json_auto(...)) and prints the row count.  Run by bench/peers.sh as
// a copy of this file placed beside the bench-local node_modules
// (@duckdb/node-api; ESM resolves packages from the script's folder).
// Usage: node duckdb_load.mjs DBFILE JSONL...
import { DuckDBInstance } from '@duckdb/node-api';

const [db, ...files] = process.argv.slice(2);
if (!db || files.length === 0) {
	console.error('usage: node duckdb_load.mjs DBFILE JSONL...');
	process.exit(2);
}
const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
const instance = await DuckDBInstance.create(db);
const con = await instance.connect();
await con.run(`CREATE TABLE s AS SELECT * FROM read_json_auto([${list}])`);
const reader = await con.runAndReadAll('SELECT count(*) FROM s');
console.log(String(reader.getRows()[0][0]));
con.closeSync?.();
