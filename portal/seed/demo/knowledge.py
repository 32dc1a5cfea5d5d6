"""The demo's knowledge sharing: announcements (one of them to two communities), discussions
with replies and mentions, and library folders with a document of each security marking and a
link."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge import services as knowledge_services
from knowledge.models import Announcement, Folder, Resource, Sensitivity, Thread

from .context import DemoContext, demo_email


def _text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def _pdf_file(name: str, line: str) -> SimpleUploadedFile:
    """A one-page PDF showing one line of (ASCII) text."""
    stream = f"BT /F1 14 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile(name, bytes(out), content_type="application/pdf")


def create_demo_announcements(demo: DemoContext) -> None:
    items = [
        (
            "lead.chemical",
            ["chemical"],
            "[Demo] Welcome to the fictional chemical community space",
            "[Démo] Bienvenue dans l’espace fictif de la communauté chimique",
            "This **fictional** announcement shows how leads share news. Register for the "
            "tabletop exercise and look at the exercise materials in the library.",
            "Cette annonce **fictive** montre comment les responsables diffusent les "
            "nouvelles. Inscrivez-vous à l’exercice sur table et consultez le matériel "
            "d’exercice dans la bibliothèque.",
        ),
        (
            # To two communities: by the administrator, who leads none but manages all.
            "admin",
            ["biological", "paramedic-services"],
            "[Demo] Fictional joint workshop with the paramedic services community",
            "[Démo] Atelier conjoint fictif avec la communauté des services paramédicaux",
            "Both communities are invited to the fictional laboratory surge workshop, in "
            "Winnipeg or online.",
            "Les deux communautés sont invitées à l’atelier fictif sur la capacité des "
            "laboratoires, à Winnipeg ou en ligne.",
        ),
        (
            "lead.natural-hazards",
            ["natural-hazards"],
            "[Demo] Fictional call for proposals open: submit before the deadline",
            "[Démo] Appel de propositions fictif ouvert : soumettez avant la date limite",
            "The fictional call addresses the priorities this community voted for.",
            "L’appel fictif porte sur les priorités pour lesquelles cette communauté a voté.",
        ),
    ]
    for author, slugs, title_en, title_fr, body_en, body_fr in items:
        communities = [demo.communities[s] for s in slugs if s in demo.communities]
        if not communities or Announcement.objects.filter(title_en=title_en).exists():
            continue
        knowledge_services.announcement_create(
            by=demo.user(author),
            communities=communities,
            title_en=title_en,
            title_fr=title_fr,
            body_en=body_en,
            body_fr=body_fr,
        )
        demo.report.add("announcements")


def create_demo_discussions(demo: DemoContext) -> None:
    chem_lead = demo_email("lead.chemical")
    items = [
        (
            "chemical",
            "member2",
            "[Demo] Fictional question: decontamination checklists for small fire halls?",
            f"Does anyone have a short checklist that works for volunteer fire halls? "
            f"@{chem_lead} may know of one. *(Fictional discussion.)*",
            [
                ("riley.gagnon", "We use a one-page version: I will add it to the library."),
                ("lead.chemical", f"Thanks! @{demo_email('member2')}, see the exercise "
                 "materials folder."),
                ("avery.chen", "Adding public health's view: keep the triage step first."),
            ],
        ),
        (
            "natural-hazards",
            "member1",
            "[Démo] Question fictive : qui a utilisé l’outil d’autoévaluation municipal?",
            f"Nous préparons un exercice de crue. @{demo_email('dominique.roy')}, votre "
            "ministère l’a-t-il essayé? *(Discussion fictive.)*",
            [
                ("dominique.roy", "Oui, l’an dernier : comptez deux demi-journées."),
                ("maya.lindqvist", "The hazard maps in the library can feed the scenario."),
            ],
        ),
        (
            "e-security",
            "felix.ouellet",
            "[Demo] Fictional: lessons from a phishing exercise",
            "Our fictional exercise reached a 12% click rate. What did yours show?",
            [("noor.haddad", f"About the same. @{demo_email('member1')}, you ran one too?")],
        ),
    ]  # fmt: skip
    for slug, author, title, body, replies in items:
        community = demo.communities.get(slug)
        if community is None or Thread.objects.filter(title=title).exists():
            continue
        thread = knowledge_services.thread_start(
            community=community, by=demo.user(author), title=title, body=body
        )
        for who, text in replies:
            knowledge_services.thread_reply(thread=thread, by=demo.user(who), body=text)
        demo.report.add("discussions")


def create_demo_library(demo: DemoContext) -> None:
    folders = [
        (
            "chemical",
            ("[Demo] Exercise materials", "[Démo] Matériel d’exercice"),
            (
                "Fictional documents for the rail yard tabletop exercise.",
                "Documents fictifs pour l’exercice sur table à la gare de triage.",
            ),
            [
                (
                    ("Fictional exercise scenario", "Scénario d’exercice fictif"),
                    Sensitivity.UNCLASSIFIED,
                    Resource.Visibility.PUBLIC,
                    _pdf_file("demo-scenario.pdf", "Fictional exercise scenario - demo only"),
                ),
                (
                    ("Fictional contact list", "Liste de contacts fictive"),
                    Sensitivity.PROTECTED_A,
                    Resource.Visibility.COMMUNITY,
                    SimpleUploadedFile(
                        "demo-contacts.csv",
                        b"name,role,phone\nRiley Gagnon (fictional),Hazmat,613-555-0101\n",
                        content_type="text/csv",
                    ),
                ),
                (
                    ("Fictional injects (sensitive)", "Injections fictives (sensibles)"),
                    Sensitivity.PROTECTED_B,
                    Resource.Visibility.COMMUNITY,
                    _text_file("demo-injects.txt", "Fictional inject list - demo only.\n"),
                ),
            ],
        ),
        (
            "natural-hazards",
            ("[Demo] Hazard maps", "[Démo] Cartes des aléas"),
            ("Fictional maps and notes.", "Cartes et notes fictives."),
            [
                (
                    ("Fictional flood map notes", "Notes fictives sur la carte des crues"),
                    Sensitivity.UNCLASSIFIED,
                    Resource.Visibility.MEMBERS,
                    _text_file("demo-flood-notes.txt", "Fictional flood map notes.\n"),
                ),
            ],
        ),
    ]
    for slug, (name_en, name_fr), (description_en, description_fr), documents in folders:
        community = demo.communities.get(slug)
        if community is None or Folder.objects.filter(name_en=name_en).exists():
            continue
        lead = demo.lead(slug)
        folder = knowledge_services.folder_create(
            community=community,
            by=lead,
            name_en=name_en,
            name_fr=name_fr,
            description_en=description_en,
            description_fr=description_fr,
        )
        for (title_en, title_fr), sensitivity, visibility, upload in documents:
            knowledge_services.resource_create(
                folder=folder,
                by=lead,
                kind=Resource.Kind.DOCUMENT,
                title_en=f"[Demo] {title_en}",
                title_fr=f"[Démo] {title_fr}",
                sensitivity=sensitivity,
                visibility=visibility,
                upload=upload,
            )
            demo.report.add("documents")
        knowledge_services.resource_create(
            folder=folder,
            by=lead,
            kind=Resource.Kind.LINK,
            title_en="[Demo] Fictional reference link",
            title_fr="[Démo] Lien de référence fictif",
            sensitivity=Sensitivity.UNCLASSIFIED,
            visibility=Resource.Visibility.PUBLIC,
            url="https://www.example.ca/demo-reference",
        )
        demo.report.add("folders")
