// How the web editor reads and writes fichegen's YAML files (registered as Decap CMS custom formats by
// fichegen-editor.js). Decap's own YAML format drops comments, writes dates and codes such as NO or 2021-12
// unquoted and keeps no key order; these write the schema modeline first, the keys in the model's order, and
// quote every text a YAML reader could take for something else.
//
// The shapes (fichegen-editor.json) are generated from the models with config.yml: key order, texts that may be
// one plain name, decimals kept as quoted strings, records written in their short form (CV for {country: CV}).
// No browser API is used here: tests/test_editor.py runs these functions in node on real files.
import { parse } from "./vendor/yaml/index.js";

export const INVARIANT = "invariant";
export const ORIGINAL = "original";
const DISPLAY = "_fichegen_label";
const HEADER = "_fichegen_header";
export const ID = "id";

const MODELINE = "# yaml-language-server: $schema=";

export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// --- reading --------------------------------------------------------------------------------------------------

/** The leading comment lines of a file (kept when it is written again), without the schema modeline. */
function headerOf(content) {
  const lines = [];
  for (const line of content.split("\n")) {
    if (line.startsWith("#")) {
      if (!line.startsWith(MODELINE)) lines.push(line);
    } else if (line.trim() !== "") break;
  }
  return lines;
}

/** Every plain scalar stays a string, as fichegen's loader reads it (NO stays Norway, 1.10 stays "1.10"). */
function parseYaml(content) {
  const data = parse(content || "", { schema: "failsafe", uniqueKeys: true }) ?? {};
  if (!isObject(data)) throw new Error("the file is not a mapping of keys to values");
  return data;
}

/** The value of the editor's form for `value` read from the file: a plain name becomes {invariant: name}, a
 *  short record ("CV") its mapping. */
function read(node, value) {
  if (value === null || value === undefined || !node) return value;
  if (node.t === "text") return typeof value === "string" ? { [INVARIANT]: value } : value;
  if (node.t === "list") return Array.isArray(value) ? value.map((item) => read(node.item, item)) : value;
  if (node.t === "model") {
    if (typeof value === "string" && node.compact) return { [node.compact]: value };
    if (!isObject(value)) return value;
    const out = { ...value };
    for (const [key, inner] of Object.entries(node.fields)) if (key in out) out[key] = read(inner, out[key]);
    return out;
  }
  return value;
}

/** A text in the site's default language, or the first there is: what lists and relation widgets show. */
export function shown(text, languages) {
  if (typeof text === "string") return text;
  if (!isObject(text)) return "";
  if (text[INVARIANT]) return text[INVARIANT];
  for (const lang of languages) if (text[lang]) return text[lang];
  const other = Object.keys(text).find((k) => k !== ORIGINAL && text[k]);
  return other ? text[other] : "";
}

export function labelOf(record, languages) {
  const name = shown(record.title ?? record.name ?? record.label, languages);
  const acronym = shown(record.acronym, languages);
  return acronym && acronym !== name ? `${name} (${acronym})` : name;
}

// --- writing --------------------------------------------------------------------------------------------------

/** The value to write for `value` of the form, or undefined when there is nothing to write (empty inputs, lists
 *  and records are left out, as in fichegen's own files). */
function write(node, value, languages) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    return node && node.t === "decimal" ? String(value) : value;
  }
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => write(node && node.item, item, languages)).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (!isObject(value)) return undefined;
  if (node && node.t === "text") return writeText(value, languages);
  const keys = node && node.t === "model" ? node.keys : [];
  const ordered = [...keys, ...Object.keys(value).filter((k) => !keys.includes(k))];
  const out = {};
  for (const key of ordered) {
    if (!(key in value) || key === DISPLAY || key === HEADER) continue;
    const inner = write(node && node.fields ? node.fields[key] : undefined, value[key], languages);
    if (inner !== undefined) out[key] = inner;
  }
  const keysWritten = Object.keys(out);
  if (!keysWritten.length) return undefined;
  if (node && node.compact && keysWritten.length === 1 && keysWritten[0] === node.compact) return out[node.compact];
  return out;
}

/** A localized text: one plain string for a name the same in every language, else language → text in the
 *  site's order (then any other language the file had), `original:` last. */
function writeText(value, languages) {
  const invariant = write(null, value[INVARIANT], languages);
  if (typeof invariant === "string") return invariant;
  const out = {};
  const others = Object.keys(value).filter((k) => !languages.includes(k) && k !== ORIGINAL && k !== INVARIANT);
  for (const lang of [...languages, ...others]) {
    const text = write(null, value[lang], languages);
    if (typeof text === "string") out[lang] = text;
  }
  if (!Object.keys(out).length) return undefined;
  const original = write(null, value[ORIGINAL], languages);
  if (typeof original === "string") out[ORIGINAL] = original;
  return out;
}

// --- YAML -----------------------------------------------------------------------------------------------------

const RETYPED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|<<|=)$/;

/** Quoted when a YAML reader (1.1 or 1.2) could take it for something else than this text: a number, a date, a
 *  boolean (NO, on), null; or when its characters would be read as YAML syntax. */
export function needsQuotes(text) {
  if (text === "" || text !== text.trim()) return true;
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(text)) return true;
  if (RETYPED.test(text) || /^[-+.]?[0-9]/.test(text)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return true;
  return /: |\s#|:$/.test(text);
}

const quote = (text) => JSON.stringify(text);   // a JSON string is a YAML double-quoted scalar

function scalar(value, pad) {
  if (typeof value !== "string") return { inline: String(value) };
  if (value.includes("\n") && !/^\s/.test(value) && !/[\r\u0000-\u0008\u000b-\u001f]/.test(value) && !/\n\n+$/.test(value)
      && !/ \n|[ \t]$/.test(value)) {
    const indicator = value.endsWith("\n") ? "|" : "|-";
    const lines = value.replace(/\n$/, "").split("\n").map((line) => (line ? pad + "  " + line : ""));
    return { inline: indicator, block: lines };
  }
  return { inline: needsQuotes(value) || value.includes("\n") ? quote(value) : value };
}

function keyText(key) {
  return needsQuotes(key) || /[,[\]{}]/.test(key) ? quote(key) : key;
}

function flowList(items) {
  if (!items.every((item) => typeof item === "string" || typeof item === "number")) return null;
  if (items.some((item) => typeof item === "string" && item.includes("\n"))) return null;
  const text = "[" + items.map((item) => (typeof item === "string" && (needsQuotes(item) || /[,[\]{}]/.test(item)) ? quote(item) : String(item))).join(", ") + "]";
  return text.length <= 72 ? text : null;
}

function mappingLines(map, pad) {
  const lines = [];
  for (const [key, value] of Object.entries(map)) {
    const head = `${pad}${keyText(key)}:`;
    if (Array.isArray(value)) {
      const flow = flowList(value);
      if (flow) lines.push(`${head} ${flow}`);
      else lines.push(head, ...sequenceLines(value, pad + "  "));
    } else if (isObject(value)) {
      lines.push(head, ...mappingLines(value, pad + "  "));
    } else {
      const { inline, block } = scalar(value, pad);
      lines.push(`${head} ${inline}`, ...(block || []));
    }
  }
  return lines;
}

function sequenceLines(items, pad) {
  const lines = [];
  for (const item of items) {
    if (isObject(item)) {
      const inner = mappingLines(item, pad + "  ");
      lines.push(pad + "- " + inner[0].slice(pad.length + 2), ...inner.slice(1));
    } else if (Array.isArray(item)) {
      const flow = flowList(item);
      if (flow) lines.push(`${pad}- ${flow}`);
      else lines.push(`${pad}-`, ...sequenceLines(item, pad + "  "));
    } else {
      const { inline, block } = scalar(item, pad);
      lines.push(`${pad}- ${inline}`, ...(block || []));
    }
  }
  return lines;
}

function dump(map, header) {
  const body = mappingLines(map, "");
  return [...header, ...body].join("\n") + "\n";
}

// --- the formats ----------------------------------------------------------------------------------------------

export function ficheFormat(shape, languages) {
  return {
    fromFile(content) {
      const data = read(shape, parseYaml(content));
      data[HEADER] = headerOf(content || "");
      data[DISPLAY] = labelOf(data, languages);
      return data;
    },
    toFile(data) {
      const record = write(shape, { ...data, [ID]: undefined }, languages) || {};
      delete record[ID];
      return dump(record, [MODELINE + shape.schema, ...(data[HEADER] || [])]);
    },
  };
}

export function vocabularyFormat(shape, languages) {
  return {
    fromFile(content) {
      const data = parseYaml(content);
      const terms = Object.entries(data).map(([id, term]) => {
        const record = { [ID]: id, ...read(shape.term, term) };
        record[DISPLAY] = labelOf(record, languages) || id;
        return record;
      });
      return { terms, [HEADER]: headerOf(content || "") };
    },
    toFile(data) {
      const out = {};
      for (const term of data.terms || []) {
        if (!term || typeof term[ID] !== "string" || !term[ID].trim()) continue;
        const { [ID]: id, ...rest } = term;
        out[id.trim()] = write(shape.term, rest, languages) || {};
      }
      return dump(out, data[HEADER] || []);
    },
  };
}
