"""The CCRS roundtable's consultations (Montreal, February 2018), from the meeting report in
portal/seed/sources/ccrs-roundtable-meeting-2018.txt: members were consulted on a draft
national strategy to combat human trafficking and on the draft questionnaire of the public
consultation on countering radicalization to violence (CRV). Loaded as closed consultations
with their published "what we heard", in English and French.

Called by portal.seed.cssp.loader.load_cssp; idempotent like it: a consultation is created only
when none with its English title exists in its community, and an existing one is never changed.
"""

import datetime
import zoneinfo

from communities.models import Community

from .models import Consultation, Question

HOST = "psychosocial-community-resilience"
ZONE = zoneinfo.ZoneInfo("America/Toronto")
OPENS = datetime.datetime(2018, 2, 23, 9, 0, tzinfo=ZONE)
CLOSES = datetime.datetime(2018, 2, 25, 16, 0, tzinfo=ZONE)

CONSULTATIONS = [
    {
        "title_en": "Draft national strategy to combat human trafficking",
        "title_fr": "Ébauche de stratégie nationale de lutte contre la traite de personnes",
        "context_en": (
            "At its meeting in Montreal, the Cross-Cultural Roundtable on Security (CCRS) was "
            "consulted to inform the development of a national strategy to combat human "
            "trafficking: members’ feedback and recommendations on the way forward for the "
            "Government of Canada on the issue."
        ),
        "context_fr": (
            "Lors de sa réunion à Montréal, la Table ronde transculturelle sur la sécurité "
            "(TRTS) a été consultée pour éclairer l’élaboration d’une stratégie nationale de "
            "lutte contre la traite de personnes : les commentaires et les recommandations des "
            "membres sur la voie à suivre pour le gouvernement du Canada dans ce dossier."
        ),
        "item_kind": Consultation.ItemKind.QUESTIONS,
        "questions": [
            (
                "How well do the communities you know understand human trafficking in Canada?",
                "Dans quelle mesure les collectivités que vous connaissez comprennent-elles la "
                "traite de personnes au Canada?",
            ),
            (
                "Which areas should the national strategy make a priority?",
                "À quels domaines la stratégie nationale devrait-elle accorder la priorité?",
            ),
            (
                "What would help people prevent, report and respond to human trafficking?",
                "Qu’est-ce qui aiderait la population à prévenir et à signaler la traite de "
                "personnes, et à y réagir?",
            ),
        ],
        "summary_en": (
            "One of the main takeaways for policymakers was the significant gap that exists in "
            "terms of public awareness on the complexity and scope of the issue of human "
            "trafficking in Canada. Based on members’ experience, the current level of "
            "understanding across communities is either very limited or non-existent.\n\n"
            "Members identified priority areas requiring government attention: improving "
            "collaboration and coordination between stakeholders, government and international "
            "bodies, implementing stronger and longer penalties, and better equipping and "
            "protecting temporary workers. Government officials developed a solid initial "
            "appreciation of what should form part of the national strategy."
        ),
        "summary_fr": (
            "L’un des principaux constats pour les décideurs est la lacune importante qui "
            "existe quant à la sensibilisation du public à la complexité et à l’ampleur de la "
            "traite de personnes au Canada. Selon l’expérience des membres, le niveau actuel de "
            "compréhension au sein des collectivités est très limité, voire inexistant.\n\n"
            "Les membres ont cerné des domaines prioritaires exigeant l’attention du "
            "gouvernement : améliorer la collaboration et la coordination entre les "
            "intervenants, le gouvernement et les organismes internationaux, imposer des peines "
            "plus sévères et plus longues, et mieux outiller et protéger les travailleurs "
            "temporaires. Les représentants du gouvernement ont ainsi acquis une solide "
            "compréhension initiale de ce qui devrait faire partie de la stratégie nationale."
        ),
        "recommendations_en": (
            "Hold more open discussions on concrete human trafficking cases in Canada, to expose "
            "the prevalence of the issue and provide guidance on what to do when faced with a "
            "potential human trafficking situation, including how to report the problem.\n\n"
            "Provide additional resources to prevent, intervene and support victims of human "
            "trafficking."
        ),
        "recommendations_fr": (
            "Discuter plus ouvertement de cas concrets de traite de personnes au Canada, afin de "
            "faire ressortir l’ampleur du phénomène et d’indiquer quoi faire devant une "
            "situation potentielle de traite de personnes, notamment comment la signaler.\n\n"
            "Prévoir des ressources supplémentaires pour prévenir la traite de personnes, "
            "intervenir et soutenir les victimes."
        ),
    },
    {
        "title_en": (
            "Draft questionnaire of the public consultation on countering radicalization to "
            "violence"
        ),
        "title_fr": (
            "Ébauche du questionnaire de la consultation publique sur la lutte contre la "
            "radicalisation menant à la violence"
        ),
        "context_en": (
            "CCRS members were consulted on the draft questionnaire to be used for the online "
            "public consultation on countering radicalization to violence (CRV), which will be "
            "open to Canadians country-wide. Members commented on each part of the draft."
        ),
        "context_fr": (
            "Les membres de la TRTS ont été consultés sur l’ébauche du questionnaire de la "
            "consultation publique en ligne sur la lutte contre la radicalisation menant à la "
            "violence (LRV), qui sera ouverte à la population de partout au pays. Les membres "
            "ont commenté chaque partie de l’ébauche."
        ),
        "item_kind": Consultation.ItemKind.SECTIONS,
        "questions": [
            ("Wording of the questions", "Formulation des questions"),
            ("Response options", "Choix de réponse"),
            (
                "Community-based action and networks of key actors",
                "Action communautaire et réseaux d’acteurs clés",
            ),
        ],
        "summary_en": (
            "Members outlined a number of revisions they deemed essential in order to promote "
            "accessible and inclusive language. Questions were simplified and reshaped for "
            "clarity, and additional response options were included to better reflect Canada’s "
            "diversity. The questionnaire was also adjusted to reflect the importance raised by "
            "members for the government to support community-based action and to engage and "
            "build a network of key actors on the issue."
        ),
        "summary_fr": (
            "Les membres ont proposé plusieurs révisions qu’ils jugeaient essentielles pour "
            "favoriser un langage accessible et inclusif. Les questions ont été simplifiées et "
            "reformulées par souci de clarté, et des choix de réponse ont été ajoutés pour mieux "
            "refléter la diversité du Canada. Le questionnaire a aussi été adapté pour tenir "
            "compte de l’importance, soulignée par les membres, que le gouvernement soutienne "
            "l’action communautaire ainsi que la mobilisation et la constitution d’un réseau "
            "d’acteurs clés sur cette question."
        ),
        "recommendations_en": (
            "Make the government response on the issue of CRV more proactive and focused on "
            "building community resilience prior to a terrorist event taking place (e.g., by "
            "promoting interfaith dialogue)."
        ),
        "recommendations_fr": (
            "Rendre l’intervention du gouvernement en matière de LRV plus proactive et axée sur "
            "le renforcement de la résilience des collectivités avant qu’un attentat terroriste "
            "ne survienne (p. ex. par la promotion du dialogue interconfessionnel)."
        ),
    },
]


def load_ccrs_consultations(report=None) -> int:
    """Create the CCRS consultations that do not exist yet; returns how many were created.
    `report` (the loader's LoadReport) counts them. Nothing is sent: they closed in 2018."""
    community = Community.objects.filter(slug=HOST).first()
    if community is None:
        return 0
    created = 0
    for item in CONSULTATIONS:
        exists = community.consultations.filter(title_en=item["title_en"]).exists()
        if report is not None:
            report.count("consultations", created=not exists)
        if exists:
            continue
        values = {k: v for k, v in item.items() if k != "questions"}
        consultation = Consultation(
            **values,
            audience=Consultation.Audience.COMMUNITY,
            opens_at=OPENS,
            closes_at=CLOSES,
            published_at=CLOSES,
            # Already past: the periodic pass must never announce them.
            opening_notified_at=OPENS,
            reminder_sent_at=OPENS,
        )
        consultation.full_clean(exclude=["document"])
        consultation.save()
        consultation.communities.set([community])
        Question.objects.bulk_create(
            Question(consultation=consultation, position=position, text_en=en, text_fr=fr)
            for position, (en, fr) in enumerate(item["questions"], start=1)
        )
        created += 1
    return created
