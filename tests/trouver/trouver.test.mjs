// Tests of the "Trouver une solution" filtering (issue 9), run by `node --test`.
// The code under test is the real themes/default/static/js/trouver.js; the
// real guide's data is public/trouver-data.js (run `fiches build` first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import vm from "node:vm";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const require = createRequire(import.meta.url);
const core = require(path.join(repo, "themes/default/static/js/trouver.js"));

const card = (slug, o = {}) => ({
  slug, kind: "dispositif", title: slug, url: `fiches/${slug}.html`, summary: "",
  stages: [], droit: "commun", publics: [], situations: [], territoire: [], arret: null, compensation: [], ...o,
});
const slugs = (cards, q) => core.filter(cards, core.parse(q)).groups.flatMap((g) => g.cards.map((c) => c.card.slug));

const fixture = [
  card("poe", { stages: ["formation"], publics: ["demandeur-emploi"], compensation: ["agefiph", "fiphfp"] }),
  card("crpe", { stages: ["formation", "emploi"], publics: ["salarie"], situations: ["arret-travail", "inaptitude"] }),
  card("creation", { stages: ["emploi"], publics: ["salarie"], situations: ["inaptitude"], arret: false }),
  card("bilan", { stages: ["preparation"], publics: [], arret: true }),
  card("esrp", { stages: ["formation"], droit: "specifique", publics: ["salarie", "demandeur-emploi"] }),
  card("motiv", { stages: ["preparation"], publics: ["demandeur-emploi"], territoire: ["nord"] }),
  card("inapte", { kind: "situation", stages: ["formation"], publics: ["salarie"], situations: ["inaptitude"] }),
  card("agefiph", { kind: "outil", droit: "specifique", stages: ["formation"] }),
  card("fiphfp", { kind: "outil", droit: "specifique", publics: ["agent-public"], stages: ["formation"] }),
];

test("no answer keeps every proposable card and never proposes tools on their own", () => {
  assert.deepEqual(slugs(fixture, "").sort(), ["bilan", "creation", "crpe", "esrp", "inapte", "motiv", "poe"]);
});

test("public filter keeps cards for that public and cards open to all", () => {
  assert.deepEqual(slugs(fixture, "public=demandeur-emploi").sort(), ["bilan", "esrp", "motiv", "poe"]);
});

test("stage filter groups each card once under its first asked stage", () => {
  const r = core.filter(fixture, core.parse("etape=formation&etape=emploi"));
  assert.deepEqual(r.groups.map((g) => g.id), ["situation", "formation", "emploi"]);
  assert.deepEqual(r.groups[1].cards.map((c) => c.card.slug).sort(), ["crpe", "esrp", "poe"]);
  assert.deepEqual(r.groups[2].cards.map((c) => c.card.slug), ["creation"]);
  assert.equal(r.count, 5);
});

test("a health problem without recognition hides droit spécifique cards and tools", () => {
  assert.ok(!slugs(fixture, "handicap=sante").includes("esrp"));
  const poe = core.filter(fixture, core.parse("handicap=sante")).groups.flatMap((g) => g.cards).find((c) => c.card.slug === "poe");
  assert.deepEqual(poe.tools, []);
  const poeRqth = core.filter(fixture, core.parse("handicap=rqth")).groups.flatMap((g) => g.cards).find((c) => c.card.slug === "poe");
  assert.deepEqual(poeRqth.tools.map((t) => t.slug), ["agefiph", "fiphfp"]);
});

test("compensation tools follow the public too", () => {
  const poe = core.filter(fixture, core.parse("public=demandeur-emploi")).groups.flatMap((g) => g.cards).find((c) => c.card.slug === "poe");
  assert.deepEqual(poe.tools.map((t) => t.slug), ["agefiph"]);
});

test("sick leave keeps cards usable during it and drops those that say no", () => {
  assert.deepEqual(slugs(fixture, "situation=arret-travail").sort(), ["bilan", "crpe"]);
  assert.deepEqual(slugs(fixture, "situation=inaptitude").sort(), ["creation", "crpe", "inapte"]);
  assert.ok(!slugs(fixture, "situation=inaptitude&situation=arret-travail").includes("creation"));
});

test("local dispositifs only show in their department", () => {
  assert.ok(slugs(fixture, "departement=nord").includes("motiv"));
  assert.ok(!slugs(fixture, "departement=somme").includes("motiv"));
});

test("answers survive the URL both ways", () => {
  const q = "public=salarie&public=jeune&etape=formation&situation=inaptitude&handicap=rqth&departement=nord";
  assert.equal(core.toQuery(core.parse(q)), q);
  assert.equal(core.toQuery(core.parse("")), "");
  assert.equal(core.parse("public=salarie&public=salarie").public.length, 1);
});

const dataFile = path.join(repo, "public/trouver-data.js");
test("realistic situations on the real guide", { skip: !process.env.CI && !existsSync(dataFile) && "run `fiches build` first" }, () => {
  const ctx = { window: {} };
  vm.runInNewContext(readFileSync(dataFile, "utf8"), ctx);
  const cards = ctx.window.FICHES_TROUVER;
  assert.ok(cards.length > 40, "the real guide has its cards");
  const lines = readFileSync(path.join(repo, "tests/data/trouver_situations.tsv"), "utf8").split("\n");
  const rows = lines.filter((l) => l.trim() && !l.startsWith("#"));
  assert.ok(rows.length >= 8, "at least 8 situations");
  for (const row of rows) {
    const [q, must, mustNot] = row.split("\t");
    const got = slugs(cards, q);
    for (const s of must.split(",")) assert.ok(got.includes(s), `${q}: ${s} must appear (got ${got.join(", ")})`);
    for (const s of (mustNot || "").split(",").filter(Boolean)) assert.ok(!got.includes(s), `${q}: ${s} must not appear`);
  }
});
