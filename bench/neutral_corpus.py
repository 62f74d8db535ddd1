#!/usr/bin/env python3
"""The neutral benchmark corpus: fiches as plain data, the same for fichegen, Hugo and MkDocs.

A copy of the generation logic of the anchor benchmark's generator (shared/bench/gen_corpus.py),
kept here so that bench/ is self-contained, with a Portuguese column added to every phrase table.
The random draws are exactly those of the original, in the same order, and Portuguese is
rendered from the same draws, so the en/fr/es texts are byte-identical to the original's:

    neutral_corpus.py N OUT --languages en,fr,es     writes what shared/bench/gen_corpus.py N OUT writes

(bench/RESULTS.md says how this was verified). One deliberate gap: every fourth project
(numbers 4, 8, 12...) has no Portuguese description, so the Portuguese pages of those projects
go through the fallback path (text shown in English, marked as such).

Usage:  neutral_corpus.py N OUT [--seed 42] [--languages en,fr,es,pt]
Layout: OUT/content/{projects,organisations,strategies}/<slug>.yaml and OUT/content/vocabulary.yaml,
readable by shared/bench/to_hugo.py and to_mkdocs.py (they use en/fr/es and ignore pt) and by
bench/to_hugo.py (all four languages).
"""
import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

LANGS = ("en", "fr", "es", "pt")
#: Every PT_GAP-th project has no Portuguese description (the fallback path).
PT_GAP = 4

# --- phrase tables: copied verbatim from shared/bench/gen_corpus.py (en, fr, es) ---------------
THEMES = {
    "migration_governance": ("Migration governance", "Gouvernance des migrations", "Gobernanza migratoria"),
    "remittances": ("Remittances", "Transferts de fonds", "Remesas"),
    "labour_migration": ("Labour migration", "Migration de travail", "Migración laboral"),
    "diaspora_engagement": ("Diaspora engagement", "Engagement de la diaspora", "Participación de la diáspora"),
    "integration": ("Integration", "Intégration", "Integración"),
    "vocational_training": ("Vocational training", "Formation professionnelle", "Formación profesional"),
    "return_reintegration": ("Return and reintegration", "Retour et réintégration", "Retorno y reintegración"),
    "international_protection": ("International protection", "Protection internationale", "Protección internacional"),
    "trafficking_prevention": ("Trafficking prevention", "Prévention de la traite", "Prevención de la trata"),
    "climate_mobility": ("Climate and mobility", "Climat et mobilité", "Clima y movilidad"),
    "skills_partnerships": ("Skills partnerships", "Partenariats pour les compétences", "Alianzas de talentos"),
    "entrepreneurship": ("Migrant entrepreneurship", "Entrepreneuriat des migrants", "Emprendimiento migrante"),
    "social_inclusion": ("Social inclusion", "Inclusion sociale", "Inclusión social"),
    "data_research": ("Data and research", "Données et recherche", "Datos e investigación"),
    "local_development": ("Local development", "Développement local", "Desarrollo local"),
}

COUNTRIES = {
    "ES": ("Spain", "Espagne", "España"), "FR": ("France", "France", "Francia"),
    "IT": ("Italy", "Italie", "Italia"), "PT": ("Portugal", "Portugal", "Portugal"),
    "DE": ("Germany", "Allemagne", "Alemania"), "BE": ("Belgium", "Belgique", "Bélgica"),
    "NL": ("Netherlands", "Pays-Bas", "Países Bajos"), "GR": ("Greece", "Grèce", "Grecia"),
    "MA": ("Morocco", "Maroc", "Marruecos"), "TN": ("Tunisia", "Tunisie", "Túnez"),
    "SN": ("Senegal", "Sénégal", "Senegal"), "ML": ("Mali", "Mali", "Malí"),
    "NG": ("Nigeria", "Nigeria", "Nigeria"), "GH": ("Ghana", "Ghana", "Ghana"),
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Costa de Marfil"), "ET": ("Ethiopia", "Éthiopie", "Etiopía"),
    "EG": ("Egypt", "Égypte", "Egipto"), "JO": ("Jordan", "Jordanie", "Jordania"),
    "LB": ("Lebanon", "Liban", "Líbano"), "TR": ("Türkiye", "Turquie", "Turquía"),
    "CO": ("Colombia", "Colombie", "Colombia"), "EC": ("Ecuador", "Équateur", "Ecuador"),
    "PE": ("Peru", "Pérou", "Perú"), "HN": ("Honduras", "Honduras", "Honduras"),
    "GT": ("Guatemala", "Guatemala", "Guatemala"), "UA": ("Ukraine", "Ukraine", "Ucrania"),
    "MD": ("Moldova", "Moldavie", "Moldavia"), "GE": ("Georgia", "Géorgie", "Georgia"),
}

PROGRAMMES = {
    "amif": ("Asylum, Migration and Integration Fund", "Fonds asile, migration et intégration", "Fondo de Asilo, Migración e Integración"),
    "esf_plus": ("European Social Fund Plus", "Fonds social européen plus", "Fondo Social Europeo Plus"),
    "ndici": ("NDICI - Global Europe", "IVCDCI - Europe dans le monde", "IVCDCI - Europa Global"),
    "eutf_africa": ("EU Trust Fund for Africa", "Fonds fiduciaire de l'UE pour l'Afrique", "Fondo Fiduciario de la UE para África"),
    "mpf": ("Migration Partnership Facility", "Facilité de partenariat pour la migration", "Mecanismo de Asociación para la Migración"),
    "erasmus_plus": ("Erasmus+", "Erasmus+", "Erasmus+"),
    "interreg_next_med": ("Interreg NEXT MED", "Interreg NEXT MED", "Interreg NEXT MED"),
    "horizon_europe": ("Horizon Europe", "Horizon Europe", "Horizonte Europa"),
}

# Parallel vocabularies (en, fr, es): the same index is used in every language.
GROUPS = [
    ("young migrants", "jeunes migrants", "jóvenes migrantes"),
    ("returning migrants", "migrants de retour", "migrantes retornados"),
    ("refugee women", "femmes réfugiées", "mujeres refugiadas"),
    ("diaspora associations", "associations de la diaspora", "asociaciones de la diáspora"),
    ("seasonal workers", "travailleurs saisonniers", "trabajadores temporeros"),
    ("unaccompanied minors", "mineurs non accompagnés", "menores no acompañados"),
    ("local authorities", "autorités locales", "autoridades locales"),
    ("small entrepreneurs", "petits entrepreneurs", "pequeños emprendedores"),
    ("host communities", "communautés d'accueil", "comunidades de acogida"),
    ("recognised refugees", "réfugiés reconnus", "refugiados reconocidos"),
    ("public employment services", "services publics de l'emploi", "servicios públicos de empleo"),
    ("families receiving remittances", "familles bénéficiaires de transferts", "familias receptoras de remesas"),
]
ACTIONS = [
    ("strengthen the capacities of", "renforcer les capacités des", "fortalecer las capacidades de los"),
    ("improve access to decent work for", "améliorer l'accès au travail décent des", "mejorar el acceso al trabajo decente de los"),
    ("design tailored vocational training for", "concevoir une formation professionnelle adaptée aux", "diseñar formación profesional adaptada a los"),
    ("reduce the cost of remittances for", "réduire le coût des transferts pour les", "reducir el coste de las remesas para los"),
    ("facilitate the social inclusion of", "faciliter l'inclusion sociale des", "facilitar la inclusión social de los"),
    ("provide legal counselling to", "offrir un conseil juridique aux", "ofrecer asesoramiento jurídico a los"),
    ("support the reintegration of", "soutenir la réintégration des", "apoyar la reintegración de los"),
    ("mobilise the skills of", "mobiliser les compétences des", "movilizar las competencias de los"),
    ("collect reliable data on", "collecter des données fiables sur les", "recopilar datos fiables sobre los"),
    ("promote financial literacy among", "promouvoir l'éducation financière auprès des", "promover la educación financiera entre los"),
]
OUTCOMES = [
    ("more inclusive local labour markets", "des marchés du travail locaux plus inclusifs", "mercados laborales locales más inclusivos"),
    ("safer and more regular migration pathways", "des voies de migration plus sûres et plus régulières", "vías migratorias más seguras y regulares"),
    ("sustainable livelihoods in regions of origin", "des moyens de subsistance durables dans les régions d'origine", "medios de vida sostenibles en las regiones de origen"),
    ("better coordination between institutions", "une meilleure coordination entre institutions", "una mejor coordinación entre instituciones"),
    ("productive investment of remittances", "l'investissement productif des transferts de fonds", "la inversión productiva de las remesas"),
    ("recognition of qualifications acquired abroad", "la reconnaissance des qualifications acquises à l'étranger", "el reconocimiento de las cualificaciones obtenidas en el extranjero"),
    ("evidence-based migration policies", "des politiques migratoires fondées sur des données probantes", "políticas migratorias basadas en evidencia"),
    ("stronger ties between diaspora and territories", "des liens renforcés entre diaspora et territoires", "vínculos más fuertes entre la diáspora y los territorios"),
    ("reduced vulnerability to exploitation", "une vulnérabilité réduite à l'exploitation", "una menor vulnerabilidad a la explotación"),
    ("durable solutions for displaced people", "des solutions durables pour les personnes déplacées", "soluciones duraderas para las personas desplazadas"),
]
ACTORS = [
    ("civil society organisations", "les organisations de la société civile", "las organizaciones de la sociedad civil"),
    ("municipalities", "les municipalités", "los municipios"),
    ("chambers of commerce", "les chambres de commerce", "las cámaras de comercio"),
    ("universities", "les universités", "las universidades"),
    ("national ministries", "les ministères nationaux", "los ministerios nacionales"),
    ("microfinance institutions", "les institutions de microfinance", "las instituciones de microfinanzas"),
    ("training centres", "les centres de formation", "los centros de formación"),
    ("migrant-led associations", "les associations dirigées par des migrants", "las asociaciones lideradas por migrantes"),
]
# Sentence templates: {g} group, {a} action, {o} outcome, {c} actor, {p} place.
SENTENCES = [
    ("The project aims to {a} {g} in {p}.", "Le projet vise à {a} {g} en {p}.", "El proyecto pretende {a} {g} en {p}."),
    ("Working closely with {c}, the partners will contribute to {o}.", "En étroite collaboration avec {c}, les partenaires contribueront à {o}.", "En estrecha colaboración con {c}, los socios contribuirán a {o}."),
    ("A baseline study carried out in {p} showed that {g} face persistent barriers.", "Une étude de référence menée en {p} a montré que les {g} rencontrent des obstacles persistants.", "Un estudio de base realizado en {p} mostró que los {g} enfrentan barreras persistentes."),
    ("Pilot actions will test new approaches to {o}.", "Des actions pilotes testeront de nouvelles approches en faveur de {o}.", "Acciones piloto pondrán a prueba nuevos enfoques para {o}."),
    ("Particular attention is paid to gender equality and to the needs of {g}.", "Une attention particulière est portée à l'égalité de genre et aux besoins des {g}.", "Se presta especial atención a la igualdad de género y a las necesidades de los {g}."),
    ("Peer exchanges between {c} in {p} and in Europe will support mutual learning.", "Des échanges entre pairs entre {c} en {p} et en Europe favoriseront l'apprentissage mutuel.", "Los intercambios entre pares entre {c} en {p} y en Europa favorecerán el aprendizaje mutuo."),
    ("The action builds on previous experience and seeks to {a} {g}.", "L'action s'appuie sur l'expérience acquise et cherche à {a} {g}.", "La acción se basa en la experiencia previa y busca {a} {g}."),
    ("Results will be shared through policy briefs, workshops and an open online toolkit.", "Les résultats seront diffusés par des notes d'orientation, des ateliers et une boîte à outils en ligne.", "Los resultados se difundirán mediante notas de orientación, talleres y una caja de herramientas en línea."),
    ("Monitoring and evaluation rely on indicators agreed with {c}.", "Le suivi et l'évaluation reposent sur des indicateurs convenus avec {c}.", "El seguimiento y la evaluación se basan en indicadores acordados con {c}."),
    ("In the long term, the initiative should lead to {o} in {p}.", "À long terme, l'initiative devrait conduire à {o} en {p}.", "A largo plazo, la iniciativa debería conducir a {o} en {p}."),
    ("Local committees including {g} will steer the activities.", "Des comités locaux incluant des {g} piloteront les activités.", "Comités locales que incluyen a {g} dirigirán las actividades."),
    ("Digital tools will help {c} reach {g} more effectively.", "Des outils numériques aideront {c} à mieux atteindre les {g}.", "Herramientas digitales ayudarán a {c} a llegar mejor a los {g}."),
]
HEADINGS = [("Objectives", "Objectifs", "Objetivos"), ("Expected results", "Résultats attendus", "Resultados esperados"),
            ("Main activities", "Activités principales", "Actividades principales")]
BULLETS = [
    ("Training sessions for {g}", "Sessions de formation pour les {g}", "Sesiones de formación para {g}"),
    ("Mapping of {c} in {p}", "Cartographie des acteurs ({c}) en {p}", "Mapeo de {c} en {p}"),
    ("Support to {o}", "Appui à {o}", "Apoyo a {o}"),
    ("Awareness campaigns targeting {g}", "Campagnes de sensibilisation ciblant les {g}", "Campañas de sensibilización dirigidas a {g}"),
    ("Policy dialogue with {c}", "Dialogue politique avec {c}", "Diálogo político con {c}"),
    ("Small grants for {g}", "Petites subventions pour les {g}", "Pequeñas subvenciones para {g}"),
]
LINKS = {
    "project": ("More information on the programme website", "Plus d'informations sur le site du programme",
                "Más información en el sitio web del programa"),
    "organisation": ("Organisation website", "Site web de l'organisation", "Sitio web de la organización"),
    "strategy": ("Full strategy document", "Document complet de la stratégie", "Documento completo de la estrategia"),
}
TITLES = [
    ("{a_cap} {g} for {o}", "{a_cap} {g} pour {o}", "{a_cap} {g} para {o}"),
    ("Towards {o} in {p}", "Vers {o} en {p}", "Hacia {o} en {p}"),
]
SYLL = ["MI", "GRA", "DIA", "SPO", "RE", "MIT", "INTE", "LAB", "FOR", "SKI", "LLS", "NET", "MED", "SOL", "PRO", "TAL", "CO", "NEX"]
ORG_FORMS = ["Association {w}", "Fundación {w}", "Institut {w}", "{w} Network", "Centro {w}", "Observatoire {w}",
             "{w} Foundation", "Cooperativa {w}", "Agence {w}", "{w} Institute"]
ORG_WORDS = ["Horizons", "Puentes", "Diaspora Plus", "Passerelles", "Nueva Tierra", "Mediterráneo", "Sahel Avenir",
             "Andes Unidos", "Solidarité", "Ruta Sur", "Kora", "Atlas", "Baobab", "Crossroads", "Esperanza", "Teranga"]
ORG_TYPES = ["ngo", "local_authority", "university", "ministry", "international_organisation",
             "social_enterprise", "chamber_of_commerce", "training_centre"]


# --- Portuguese, in the order of the tables above ------------------------------------------------
_PT_THEMES = {
    "migration_governance": "Governação das migrações", "remittances": "Remessas", "labour_migration": "Migração laboral",
    "diaspora_engagement": "Envolvimento da diáspora", "integration": "Integração",
    "vocational_training": "Formação profissional", "return_reintegration": "Regresso e reintegração",
    "international_protection": "Proteção internacional", "trafficking_prevention": "Prevenção do tráfico",
    "climate_mobility": "Clima e mobilidade", "skills_partnerships": "Parcerias para as competências",
    "entrepreneurship": "Empreendedorismo migrante", "social_inclusion": "Inclusão social",
    "data_research": "Dados e investigação", "local_development": "Desenvolvimento local",
}
_PT_COUNTRIES = {
    "ES": "Espanha", "FR": "França", "IT": "Itália", "PT": "Portugal", "DE": "Alemanha", "BE": "Bélgica",
    "NL": "Países Baixos", "GR": "Grécia", "MA": "Marrocos", "TN": "Tunísia", "SN": "Senegal", "ML": "Mali",
    "NG": "Nigéria", "GH": "Gana", "CI": "Costa do Marfim", "ET": "Etiópia", "EG": "Egito", "JO": "Jordânia",
    "LB": "Líbano", "TR": "Turquia", "CO": "Colômbia", "EC": "Equador", "PE": "Peru", "HN": "Honduras",
    "GT": "Guatemala", "UA": "Ucrânia", "MD": "Moldávia", "GE": "Geórgia",
}
_PT_PROGRAMMES = {
    "amif": "Fundo para o Asilo, a Migração e a Integração", "esf_plus": "Fundo Social Europeu Mais",
    "ndici": "IVCDCI - Europa Global", "eutf_africa": "Fundo Fiduciário da UE para África",
    "mpf": "Mecanismo de Parceria para as Migrações", "erasmus_plus": "Erasmus+",
    "interreg_next_med": "Interreg NEXT MED", "horizon_europe": "Horizonte Europa",
}
_PT_GROUPS = ["jovens migrantes", "migrantes regressados", "mulheres refugiadas", "associações da diáspora",
              "trabalhadores sazonais", "menores não acompanhados", "autoridades locais", "pequenos empresários",
              "comunidades de acolhimento", "refugiados reconhecidos", "serviços públicos de emprego",
              "famílias que recebem remessas"]
_PT_ACTIONS = ["reforçar as capacidades dos", "melhorar o acesso ao trabalho digno dos",
               "conceber formação profissional adaptada aos", "reduzir o custo das remessas para os",
               "facilitar a inclusão social dos", "prestar aconselhamento jurídico aos", "apoiar a reintegração dos",
               "mobilizar as competências dos", "recolher dados fiáveis sobre os",
               "promover a literacia financeira entre os"]
_PT_OUTCOMES = ["mercados de trabalho locais mais inclusivos", "vias de migração mais seguras e regulares",
                "meios de subsistência sustentáveis nas regiões de origem", "uma melhor coordenação entre instituições",
                "o investimento produtivo das remessas", "o reconhecimento das qualificações obtidas no estrangeiro",
                "políticas migratórias baseadas em dados concretos", "laços mais fortes entre a diáspora e os territórios",
                "uma menor vulnerabilidade à exploração", "soluções duradouras para as pessoas deslocadas"]
_PT_ACTORS = ["as organizações da sociedade civil", "os municípios", "as câmaras de comércio", "as universidades",
              "os ministérios nacionais", "as instituições de microfinanciamento", "os centros de formação",
              "as associações lideradas por migrantes"]
_PT_SENTENCES = [
    "O projeto pretende {a} {g} em {p}.",
    "Em estreita colaboração com {c}, os parceiros contribuirão para {o}.",
    "Um estudo de base realizado em {p} mostrou que os {g} enfrentam obstáculos persistentes.",
    "Ações-piloto testarão novas abordagens para {o}.",
    "É dada especial atenção à igualdade de género e às necessidades dos {g}.",
    "Os intercâmbios entre pares entre {c} em {p} e na Europa favorecerão a aprendizagem mútua.",
    "A ação baseia-se na experiência anterior e procura {a} {g}.",
    "Os resultados serão divulgados através de notas de orientação, oficinas e um conjunto de ferramentas em linha.",
    "O acompanhamento e a avaliação assentam em indicadores acordados com {c}.",
    "A longo prazo, a iniciativa deverá conduzir a {o} em {p}.",
    "Comités locais que incluem {g} orientarão as atividades.",
    "Ferramentas digitais ajudarão {c} a chegar melhor aos {g}.",
]
_PT_HEADINGS = ["Objetivos", "Resultados esperados", "Atividades principais"]
_PT_BULLETS = ["Sessões de formação para {g}", "Mapeamento de {c} em {p}", "Apoio a {o}",
               "Campanhas de sensibilização dirigidas a {g}", "Diálogo político com {c}", "Pequenas subvenções para {g}"]
_PT_LINKS = {"project": "Mais informações no sítio Web do programa", "organisation": "Sítio Web da organização",
             "strategy": "Documento completo da estratégia"}
_PT_TITLES = ["{a_cap} {g} para {o}", "Rumo a {o} em {p}"]
STRATEGY_PREFIX = ("Strategy on", "Stratégie :", "Estrategia de", "Estratégia de")

THEMES = {k: v + (_PT_THEMES[k],) for k, v in THEMES.items()}
COUNTRIES = {k: v + (_PT_COUNTRIES[k],) for k, v in COUNTRIES.items()}
PROGRAMMES = {k: v + (_PT_PROGRAMMES[k],) for k, v in PROGRAMMES.items()}
GROUPS = [v + (p,) for v, p in zip(GROUPS, _PT_GROUPS, strict=True)]
ACTIONS = [v + (p,) for v, p in zip(ACTIONS, _PT_ACTIONS, strict=True)]
OUTCOMES = [v + (p,) for v, p in zip(OUTCOMES, _PT_OUTCOMES, strict=True)]
ACTORS = [v + (p,) for v, p in zip(ACTORS, _PT_ACTORS, strict=True)]
SENTENCES = [v + (p,) for v, p in zip(SENTENCES, _PT_SENTENCES, strict=True)]
HEADINGS = [v + (p,) for v, p in zip(HEADINGS, _PT_HEADINGS, strict=True)]
BULLETS = [v + (p,) for v, p in zip(BULLETS, _PT_BULLETS, strict=True)]
LINKS = {k: v + (_PT_LINKS[k],) for k, v in LINKS.items()}
TITLES = [v + (p,) for v, p in zip(TITLES, _PT_TITLES, strict=True)]

NL = len(LANGS)


# --- generation: the original's functions, rendering NL languages from the same draws -----------

class Fill:
    """Draws slot values once and renders them in any language."""

    def __init__(self, rng, countries):
        self.ix = dict(g=rng.randrange(len(GROUPS)), a=rng.randrange(len(ACTIONS)),
                       o=rng.randrange(len(OUTCOMES)), c=rng.randrange(len(ACTORS)))
        self.country = rng.choice(countries)

    def render(self, tmpl, li):
        a = ACTIONS[self.ix["a"]][li]
        return tmpl.format(g=GROUPS[self.ix["g"]][li], a=a, a_cap=a[0].upper() + a[1:],
                           o=OUTCOMES[self.ix["o"]][li], c=ACTORS[self.ix["c"]][li],
                           p=COUNTRIES[self.country][li])


def paragraph(rng, countries, k):
    """k random sentences, as a tuple of parallel strings (one per language)."""
    parts = [(rng.choice(SENTENCES), Fill(rng, countries)) for _ in range(k)]
    return tuple(" ".join(f.render(t[li], li) for t, f in parts) for li in range(NL))


def description(rng, countries, lo, hi, url, link):
    target = rng.randint(lo, hi)
    blocks, words = [], 0
    heading_at = rng.randint(1, 2)
    while words < target - 40:  # paragraphs average ~70 words
        if len(blocks) == heading_at:
            h = rng.choice(HEADINGS)
            blocks.append(tuple("## " + h[li] for li in range(NL)))
            items = [(rng.choice(BULLETS), Fill(rng, countries)) for _ in range(rng.randint(3, 6))]
            blocks.append(tuple("\n".join("- " + f.render(t[li], li) for t, f in items) for li in range(NL)))
        blocks.append(paragraph(rng, countries, rng.randint(3, 6)))
        words = sum(len(b[0].split()) for b in blocks)
    blocks.append(tuple(f"[{LINKS[link][li]}]({url})." for li in range(NL)))
    return {lang: "\n\n".join(b[li] for b in blocks) + "\n" for li, lang in enumerate(LANGS)}


def tr(values):
    return dict(zip(LANGS, values, strict=True))


def make_orgs(rng, n):
    orgs = []
    for i in range(1, n + 1):
        name = rng.choice(ORG_FORMS).format(w=rng.choice(ORG_WORDS))
        acronym = "".join(w[0] for w in name.replace("-", " ").split() if w[0].isalpha()).upper() + str(i)
        slug = f"{acronym.lower()}-{i:05d}"
        country = rng.choice(list(COUNTRIES))
        orgs.append(dict(id=f"org-{i:05d}", slug=slug, acronym=acronym, name=f"{name} ({country})",
                         type=rng.choice(ORG_TYPES), country=country, website=f"https://example.org/{slug}",
                         description=description(rng, [country], 80, 160, f"https://example.org/{slug}", "organisation")))
    return orgs


def make_projects(rng, n, orgs):
    out, codes = [], list(COUNTRIES)
    for i in range(1, n + 1):
        acronym = "".join(rng.sample(SYLL, rng.randint(2, 3)))
        slug = f"{acronym.lower()}-{i:05d}"
        countries = sorted(rng.sample(codes, rng.randint(2, 6)))
        programme = rng.choice(list(PROGRAMMES))
        f = Fill(rng, countries)
        tt = rng.choice(TITLES)
        title = tuple(f"{acronym}: " + f.render(tt[li], li) for li in range(NL))
        start = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        partners = rng.sample(orgs, min(len(orgs), rng.randint(3, 12)))
        summary = tr(paragraph(rng, countries, 2))  # drawn before the description, as in the original
        desc = description(rng, countries, 400, 800, f"https://example.org/programmes/{programme}", "project")
        if "pt" in desc and i % PT_GAP == 0:
            del desc["pt"]
        out.append(dict(
            id=f"prj-{i:05d}", slug=slug, acronym=acronym, title=tr(title),
            summary=summary, description=desc,
            start_date=start, end_date=start + dt.timedelta(days=rng.randrange(365, 1461)),
            programme=programme,
            budget=dict(amount=rng.randrange(50, 5000) * 1000, currency="EUR" if rng.random() < 0.9 else "USD",
                        eu_cofunding_rate=rng.choice([0.5, 0.6, 0.75, 0.8, 0.9, 0.95])),
            partners=[dict(org=o["slug"], role="lead" if k == 0 else "partner") for k, o in enumerate(partners)],
            countries=countries, themes=sorted(rng.sample(list(THEMES), rng.randint(2, 4))),
            # Not in the original's files (so not written by write()): the title's target group, drawn already.
            _group=f.ix["g"]))
    return out


def make_strategies(rng, n, projects):
    out, codes = [], list(COUNTRIES)
    for i in range(1, n + 1):
        countries = sorted(rng.sample(codes, rng.randint(1, 4)))
        theme = rng.choice(list(THEMES))
        title = tuple(f"{y} {THEMES[theme][li]} — {COUNTRIES[countries[0]][li]}"
                      for li, y in enumerate(STRATEGY_PREFIX[:NL]))
        slug = f"strategy-{i:04d}"
        out.append(dict(id=f"str-{i:04d}", slug=slug, title=tr(title), summary=tr(paragraph(rng, countries, 2)),
                        description=description(rng, countries, 300, 600, f"https://example.org/strategies/{slug}", "strategy"),
                        year=rng.randint(2015, 2025), countries=countries,
                        themes=sorted({theme, *rng.sample(list(THEMES), 2)}),
                        related_projects=[p["slug"] for p in rng.sample(projects, min(len(projects), rng.randint(5, 20)))]))
    return out


def generate(n: int, seed: int = 42) -> dict:
    """The whole corpus in memory: {organisations, projects, strategies: [fiche]}; same n and seed, same corpus."""
    rng = random.Random(seed)
    orgs = make_orgs(rng, max(1, n // 5))
    projects = make_projects(rng, n, orgs)
    strategies = make_strategies(rng, max(1, n // 50), projects)
    return {"organisations": orgs, "projects": projects, "strategies": strategies}


def vocabulary() -> dict:
    return dict(themes={k: tr(v) for k, v in THEMES.items()}, countries={k: tr(v) for k, v in COUNTRIES.items()},
                programmes={k: tr(v) for k, v in PROGRAMMES.items()})


# --- writing and reading the neutral files ------------------------------------------------------

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def dump(data) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)


def only(value, langs):
    """`value` with the texts of languages outside `langs` removed (recursively)."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGS):
            return {k: v for k, v in value.items() if k in langs}
        return {k: only(v, langs) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [only(v, langs) for v in value]
    return value


def write(corpus: dict, out: Path, langs=LANGS) -> None:
    content = Path(out) / "content"
    for kind in ("organisations", "projects", "strategies"):
        folder = content / kind
        folder.mkdir(parents=True, exist_ok=True)
        for item in corpus[kind]:
            (folder / f"{item['slug']}.yaml").write_text(dump(only(item, langs)), encoding="utf-8")
    (content / "vocabulary.yaml").write_text(dump(only(vocabulary(), langs)), encoding="utf-8")


# Interface labels shared by the converters.
UI = {k: tr(v) for k, v in {
    "projects": ("Projects", "Projets", "Proyectos", "Projetos"),
    "organisations": ("Organisations", "Organisations", "Organizaciones", "Organizações"),
    "strategies": ("Strategies", "Stratégies", "Estrategias", "Estratégias"),
    "countries": ("Countries", "Pays", "Países", "Países"),
    "themes": ("Themes", "Thèmes", "Temas", "Temas"),
    "programmes": ("Programmes", "Programmes", "Programas", "Programas"),
    "partners": ("Partners", "Partenaires", "Socios", "Parceiros"),
    "lead": ("lead partner", "chef de file", "socio principal", "parceiro principal"),
    "partner": ("partner", "partenaire", "socio", "parceiro"),
    "period": ("Period", "Période", "Periodo", "Período"),
    "budget": ("Budget", "Budget", "Presupuesto", "Orçamento"),
    "cofunding": ("EU co-funding rate", "Taux de cofinancement UE", "Tasa de cofinanciación UE", "Taxa de cofinanciamento da UE"),
    "website": ("Website", "Site web", "Sitio web", "Sítio Web"),
    "year": ("Year", "Année", "Año", "Ano"),
    "related_projects": ("Related projects", "Projets liés", "Proyectos relacionados", "Projetos relacionados"),
    "site_title": ("Migration and Development Knowledge Base", "Base de connaissances migration et développement",
                   "Base de conocimiento sobre migración y desarrollo", "Base de conhecimento sobre migração e desenvolvimento"),
}.items()}


def load(out):
    """Read a corpus written by write(): {projects, organisations, strategies: [fiche],
    vocabulary: {...}, org_projects: {org slug: [(project slug, role)]}} (the original's load())."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    content = Path(out) / "content"
    data = {kind: [yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
                   for p in sorted((content / kind).glob("*.yaml"))]
            for kind in ("projects", "organisations", "strategies")}
    data["vocabulary"] = yaml.load((content / "vocabulary.yaml").read_text(encoding="utf-8"), Loader=loader)
    data["org_projects"] = {o["slug"]: [] for o in data["organisations"]}
    for p in data["projects"]:
        for partner in p["partners"]:
            data["org_projects"][partner["org"]].append((p["slug"], partner["role"]))
    return data


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--languages", default=",".join(LANGS), help="comma-separated subset of en,fr,es,pt")
    args = ap.parse_args()
    corpus = generate(args.n, args.seed)
    write(corpus, args.out, tuple(args.languages.split(",")))
    print(f"{len(corpus['projects'])} projects, {len(corpus['organisations'])} organisations, "
          f"{len(corpus['strategies'])} strategies -> {args.out / 'content'}")


if __name__ == "__main__":
    main()
