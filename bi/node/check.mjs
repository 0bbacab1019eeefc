// Reads the published warehouse from Node.js with @duckdb/node-api, read-only (run by `make bi-check`).
//   node bi/node/check.mjs warehouse/ntt_poverty.duckdb
// Prints PASS/FAIL per step and exits 1 if any step failed.
import { createHash } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { DuckDBInstance, version } from "@duckdb/node-api";

const MARTS = [
  "mart_budget_vs_poverty",
  "mart_program_convergence",
  "mart_rat_targets_vs_outcomes",
  "mart_regency_poverty_profile",
];
const path = resolve(process.argv[2] ?? "warehouse/ntt_poverty.duckdb");
let passed = 0;
let failed = 0;

async function step(name, run) {
  const started = Date.now();
  try {
    const detail = await run();
    passed += 1;
    console.log(`PASS  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${detail}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${name}: ${error.message}`);
  }
}

if (!existsSync(path)) {
  console.log(`FAIL  no warehouse at ${path}: run \`make run\` first`);
  process.exit(1);
}
const before = createHash("sha256").update(readFileSync(path)).digest("hex");
console.log(`versions: node ${process.version}, @duckdb/node-api with DuckDB ${version()}; warehouse ${path}`);

let connection;
await step("open read-only", async () => {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  connection = await instance.connect();
  return "access_mode READ_ONLY";
});

async function rows(sql) {
  const reader = await connection.runAndReadAll(sql);
  return { objects: reader.getRowObjectsJS(), types: reader.columnTypes().map(String), names: reader.columnNames() };
}

if (connection) {
  await step("list the marts", async () => {
    const { objects } = await rows(
      "select table_name from information_schema.tables where table_schema = 'main' order by 1",
    );
    const names = objects.map((row) => row.table_name);
    const missing = MARTS.filter((mart) => !names.includes(mart));
    if (missing.length) throw new Error(`missing: ${missing.join(", ")}`);
    return `${names.length} tables in main, the ${MARTS.length} marts among them`;
  });

  await step("read a mart with its types", async () => {
    const { objects, types, names } = await rows(
      "select regency_name, allocated_pagu, total_pagu, province_wide_pagu, p0" +
        " from main.mart_budget_vs_poverty where year = 2023 order by p0_rank",
    );
    const typeOf = Object.fromEntries(names.map((name, i) => [name, types[i]]));
    if (objects.length !== 22) throw new Error(`${objects.length} rows, expected 22`);
    if (typeOf.total_pagu !== "BIGINT") throw new Error(`total_pagu is ${typeOf.total_pagu}`);
    const total = objects[0].total_pagu; // BIGINT arrives as a JS bigint, exact
    const allocated = objects.reduce((sum, row) => sum + row.allocated_pagu, 0);
    const provinceWide = Number(objects[0].province_wide_pagu);
    if (Math.abs(allocated + provinceWide - Number(total)) > 1) {
      throw new Error(`allocated ${allocated} + province-wide ${provinceWide} != total ${total}`);
    }
    return `22 regencies for RAT 2023, poorest ${objects[0].regency_name}; total_pagu ${typeOf.total_pagu} ${total}`;
  });

  await step("time axis from dim_period", async () => {
    const { objects, types } = await rows(
      "select p.period_date, f.value from main.fct_poverty_indicator f" +
        " join main.dim_period p using (period_key) join main.dim_indicator i using (indicator_key)" +
        " join main.dim_regency r using (regency_key)" +
        " where r.is_province and i.indicator_code = 'P0' and p.semester is not null order by 1",
    );
    if (types[0] !== "DATE") throw new Error(`period_date is ${types[0]}`);
    return `${objects.length} survey rounds, ${objects[0].period_date.toISOString().slice(0, 10)} to ` +
      `${objects.at(-1).period_date.toISOString().slice(0, 10)}`;
  });

  await step("writes are refused", async () => {
    try {
      await connection.run("create table main.should_not_exist (x integer)");
    } catch (error) {
      return `refused: ${error.message.split("\n")[0].slice(0, 90)}`;
    }
    throw new Error("a table could be created in the published file");
  });
}

await step("warehouse untouched", async () => {
  const after = createHash("sha256").update(readFileSync(path)).digest("hex");
  if (after !== before) throw new Error("the file changed");
  return "sha256 unchanged";
});
console.log(`node: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
