// fichegen's part of the web editor, loaded after Decap CMS: it registers the file formats of fichegen-format.js,
// the id widget of a new fiche and the previews in the site's own stylesheet, then starts the CMS.
import { ID, INVARIANT, ORIGINAL, ficheFormat, isObject, labelOf, vocabularyFormat } from "./fichegen-format.js";

const CMS = window.CMS;
const h = window.h;
const createClass = window.createClass;
const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

// --- widgets and previews -------------------------------------------------------------------------------------

/** The id of a new fiche (its file name and address); shown, not editable, for a fiche that exists. */
const IdControl = createClass({
  isValid() {
    const { entry, value } = this.props;
    if (!entry.get("newRecord")) return true;
    if (typeof value !== "string" || !ID_PATTERN.test(value)) {
      return { error: { message: "Give the fiche an id: lower-case letters, digits and hyphens, e.g. my-project-2024." } };
    }
    return true;
  },
  render() {
    const { entry, value, forID, classNameWrapper, onChange, setActiveStyle, setInactiveStyle } = this.props;
    if (!entry.get("newRecord")) {
      return h("input", { id: forID, className: classNameWrapper, value: entry.get("slug") || "", readOnly: true });
    }
    return h("input", {
      type: "text", id: forID, className: classNameWrapper, value: value || "", autoComplete: "off", spellCheck: false,
      onChange: (event) => onChange(event.target.value.trim()), onFocus: setActiveStyle, onBlur: setInactiveStyle,
    });
  },
});

const IdPreview = createClass({ render() { return h("code", {}, this.props.value || ""); } });

/** A fiche previewed with the site's own stylesheet: its title, every language of its summary (the original one
 *  marked) and the facts an editor checks before saving. */
function fichePreview(languages, languageNames) {
  return createClass({
    render() {
      const data = this.props.entry.get("data");
      const plain = data && data.toJS ? data.toJS() : {};
      const original = plain.original_language;
      const texts = (name) => {
        const value = plain[name];
        if (!isObject(value)) return [];
        if (value[INVARIANT]) return [h("p", { key: "all" }, value[INVARIANT])];
        return languages.filter((lang) => value[lang]).map((lang) => h("section", { key: lang, lang },
          h("h2", {}, languageNames[lang] + ((value[ORIGINAL] || original) === lang ? " — original language" : "")),
          this.props.widgetsFor(name).getIn(["widgets", lang]) || h("p", {}, value[lang])));
      };
      const facts = [["Id", this.props.entry.get("slug") || plain[ID]], ["Original language", original],
        ["Start", plain.start_date], ["End", plain.end_date], ["Status", plain.status],
        ["Budget", isObject(plain.budget) && plain.budget.amount ? `${plain.budget.amount} ${plain.budget.currency || ""}` : null]]
        .filter(([, value]) => value);
      return h("main", { className: "wrap fiche-preview" },
        h("h1", {}, labelOf(plain, languages) || "(no title yet)"),
        h("dl", { className: "facts" }, ...facts.flatMap(([term, value]) => [h("dt", { key: term }, term), h("dd", { key: term + "-v" }, String(value))])),
        ...texts("summary"), ...texts("description"));
    },
  });
}

/** Marks, in the form, the input of every text in the fiche's original language (its label gets data-original,
 *  which admin.css shows as "original language"), following the original_language field as it is edited. */
function markOriginalLanguage(languages) {
  let pending = false;
  const mark = () => {
    pending = false;
    const field = document.querySelector('input[id^="original_language-field-"]');
    const original = field ? field.value.trim() : "";
    for (const lang of languages) {
      for (const label of document.querySelectorAll(`label[for^="${lang}-field-"]`)) {
        if (lang === original) label.setAttribute("data-original", "");
        else label.removeAttribute("data-original");
      }
    }
  };
  new MutationObserver(() => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(mark);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value"], characterData: true });
  document.addEventListener("input", () => requestAnimationFrame(mark), true);
}

// --- start ----------------------------------------------------------------------------------------------------

function notice(text) {
  const box = document.getElementById("fichegen-editor-notice");
  box.querySelector(".notice-text").textContent = text;
  box.hidden = false;
}

async function start() {
  const { repository, localBackend } = document.body.dataset;
  if (!repository && !localBackend) {
    notice("This site's editor is not connected to a repository yet: its maintainers set [editor] repository in "
      + "fichegen.toml (the handbook's page on the web editor says how). To edit the files on your own computer, "
      + "run `fichegen serve --editor` in the project folder.");
    return;
  }
  const settings = await (await fetch("fichegen-editor.json")).json();
  const languages = settings.languages;
  for (const [name, shape] of Object.entries(settings.formats)) {
    const format = shape.t === "vocabulary" ? vocabularyFormat(shape, languages) : ficheFormat(shape, languages);
    CMS.registerCustomFormat(name, "yaml", format);
  }
  const languageNames = Object.fromEntries(languages.map((lang) => [lang, new Intl.DisplayNames([lang], { type: "language" }).of(lang) || lang]));
  CMS.registerWidget("fichegen-id", IdControl, IdPreview);
  CMS.registerPreviewStyle(settings.stylesheet);
  const preview = fichePreview(languages, languageNames);
  for (const name of Object.keys(settings.formats)) {
    if (name !== "fichegen-vocabulary") CMS.registerPreviewTemplate(settings.collections[name], preview);
  }
  markOriginalLanguage(languages);
  CMS.init();
}

start().catch((error) => notice(`The editor could not start: ${error.message}`));
