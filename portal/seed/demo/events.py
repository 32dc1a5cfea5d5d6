"""The demo's events in several communities: upcoming ones (two full with a waitlist, one hybrid,
one held in French only, one for the hosting community only) and past ones with their attendance
and outcomes, created, published and registered for through the events services."""

from __future__ import annotations

from events import services as event_services
from events.models import Event, EventOutcome, Registration

from .context import DemoContext, demo_time

MEET = "https://meet.example.ca/demo/"
EN_NOTE = "Fictional event created to demonstrate the portal: nothing here is real."
FR_NOTE = "Événement fictif créé pour la démonstration du portail : rien n’y est réel."


def _event(
    demo: DemoContext, slug: str, community: str, *, registrants=(), waitlisted=(), **values
):
    """An event created, published and registered for through the events services
    (past ones: registrations recorded, attendance marked, outcomes published)."""
    if Event.objects.filter(slug=slug).exists() or community not in demo.communities:
        return None
    lead = demo.lead(community)
    co_hosts = [demo.communities[s] for s in values.pop("co_hosts", []) if s in demo.communities]
    outcome = values.pop("outcome", None)
    event = Event(slug=slug, **values)
    event.description_en = f"{EN_NOTE}\n\n{event.description_en or ''}".strip()
    event.description_fr = f"{FR_NOTE}\n\n{event.description_fr or ''}".strip()
    event = event_services.event_create(
        event=event, community=demo.communities[community], by=lead, co_hosts=co_hosts
    )
    event = event_services.event_publish(event=event, by=lead)
    demo.report.add("events")
    people = [p for p in (demo.user(local) for local in registrants) if p is not None]
    if event.start > demo.now:
        for person in people + [demo.user(local) for local in waitlisted]:
            if person is not None:
                event_services.event_register(event=event, user=person)
        return event
    # A past event: who came, then what it produced.
    registrations = [
        Registration.objects.create(
            event=event, user=person, state=Registration.State.CONFIRMED, mode=mode
        )
        for person, mode in zip(people, _modes(event, len(people)), strict=True)
    ]
    event_services.registrations_mark_attendance(
        event=event, by=lead, attended_ids=[r.pk for r in registrations[:-1]]
    )
    if outcome:
        event_services.outcome_save(
            outcome=EventOutcome(event=event, **outcome), by=lead, publish=True
        )
    return event


def _modes(event: Event, n: int) -> list[str]:
    modes = event.registration_modes
    return [modes[i % len(modes)] for i in range(n)]


def create_demo_events(demo: DemoContext) -> None:
    now = demo.now
    _event(
        demo,
        "demo-chemical-rail-yard-tabletop",
        "chemical",
        title_en="[Demo] Fictional tabletop exercise: chemical spill at a rail yard",
        title_fr="[Démo] Exercice fictif sur table : déversement chimique dans une gare de triage",
        summary_en="A fictional half-day tabletop exercise for hazmat teams, public health "
        "and rail operators. Seats are full: new registrations join the waitlist.",
        summary_fr="Un exercice fictif d’une demi-journée sur table pour les équipes "
        "d’intervention en matières dangereuses, la santé publique et les exploitants "
        "ferroviaires. Complet : les nouvelles inscriptions vont sur la liste d’attente.",
        description_en="Scenario, injects and a hot wash. Bring your organization's "
        "hazmat procedures.",
        description_fr="Scénario, injections et débreffage à chaud. Apportez les "
        "procédures de votre organisation en matières dangereuses.",
        agenda_en="9:00 Welcome\n9:30 Scenario\n11:30 Hot wash",
        agenda_fr="9 h Accueil\n9 h 30 Scénario\n11 h 30 Débreffage à chaud",
        event_type=Event.Type.EXERCISE,
        format=Event.Format.IN_PERSON,
        # Starts within two days: its first reminder goes out as soon as `make run` starts.
        start=demo_time(now, days=1, hour=9),
        end=demo_time(now, days=1, hour=12),
        venue_en="Fictional Training Centre, room 101",
        venue_fr="Centre de formation fictif, salle 101",
        address="100 Example Street",
        city="Ottawa",
        province="ON",
        capacity_in_person=4,
        visibility=Event.Visibility.PUBLIC,
        registrants=["member2", "riley.gagnon", "avery.chen", "dominique.roy"],
        waitlisted=["sasha.mackenzie"],
    )
    _event(
        demo,
        "demo-biological-lab-surge-workshop",
        "biological",
        title_en="[Demo] Fictional workshop: sharing laboratory capacity during an outbreak",
        title_fr="[Démo] Atelier fictif : partager la capacité des laboratoires pendant "
        "une éclosion",
        summary_en="A fictional hybrid workshop: in the room in Winnipeg or online. The "
        "in-person seats are taken (waitlist open); online seats remain.",
        summary_fr="Un atelier fictif hybride : sur place à Winnipeg ou en ligne. Les places "
        "sur place sont prises (liste d’attente ouverte); il reste des places en ligne.",
        event_type=Event.Type.WORKSHOP,
        format=Event.Format.HYBRID,
        start=demo_time(now, days=6, hour=13),
        end=demo_time(now, days=6, hour=16),
        time_zone="America/Winnipeg",
        venue_en="Fictional Science Centre",
        venue_fr="Centre scientifique fictif",
        city="Winnipeg",
        province="MB",
        virtual_link=f"{MEET}lab-surge",
        capacity_in_person=2,
        capacity_virtual=40,
        visibility=Event.Visibility.PUBLIC,
        co_hosts=["paramedic-services"],
        registrants=["avery.chen", "noor.haddad"],
        waitlisted=["sasha.mackenzie"],
    )
    _event(
        demo,
        "demo-natural-hazards-flood-debrief",
        "natural-hazards",
        title_en="[Demo] Fictional spring flood exercise debrief (held in French)",
        title_fr="[Démo] Retour d’expérience fictif sur un exercice de crue printanière",
        summary_en="This fictional meeting is held in French only; questions may be asked "
        "in English.",
        summary_fr="Cette rencontre fictive se déroule en français seulement; les questions "
        "peuvent être posées en anglais.",
        description_fr="Retour sur l’exercice fictif de crue : ce qui a fonctionné, ce qui "
        "reste à améliorer et les prochaines étapes.",
        event_type=Event.Type.MEETING,
        format=Event.Format.VIRTUAL,
        start=demo_time(now, days=12, hour=10),
        end=demo_time(now, days=12, hour=11, minute=30),
        virtual_link=f"{MEET}crue-printaniere",
        visibility=Event.Visibility.PUBLIC,
        registrants=["member1", "dominique.roy", "jordan.white-eagle"],
    )
    _event(
        demo,
        "demo-e-security-phishing-webinar",
        "e-security",
        title_en="[Demo] Fictional webinar: phishing exercises for municipalities",
        title_fr="[Démo] Webinaire fictif : exercices d’hameçonnage pour les municipalités",
        summary_en="A fictional one-hour webinar for signed-in members.",
        summary_fr="Un webinaire fictif d’une heure pour les membres connectés.",
        event_type=Event.Type.WEBINAR,
        format=Event.Format.VIRTUAL,
        start=demo_time(now, days=20, hour=13),
        end=demo_time(now, days=20, hour=14),
        virtual_link=f"{MEET}phishing",
        capacity_virtual=100,
        visibility=Event.Visibility.MEMBERS,
        registrants=["felix.ouellet", "noor.haddad", "member1"],
    )
    _event(
        demo,
        "demo-fire-services-research-day",
        "fire-services",
        title_en="[Demo] Fictional fire services research day",
        title_fr="[Démo] Journée fictive de la recherche en services d’incendie",
        summary_en="A fictional day of short talks on firefighter safety research. Full: "
        "join the waitlist.",
        summary_fr="Une journée fictive de courtes présentations sur la recherche en "
        "sécurité des pompiers. Complet : inscrivez-vous sur la liste d’attente.",
        event_type=Event.Type.CONFERENCE,
        format=Event.Format.IN_PERSON,
        start=demo_time(now, days=45, hour=8, minute=30),
        end=demo_time(now, days=45, hour=16, minute=30),
        time_zone="America/Halifax",
        venue_en="Fictional Fire Academy",
        venue_fr="Académie d’incendie fictive",
        city="Halifax",
        province="NS",
        capacity_in_person=2,
        visibility=Event.Visibility.PUBLIC,
        registrants=["sasha.mackenzie", "member3"],
        waitlisted=["riley.gagnon"],
    )
    _event(
        demo,
        "demo-police-leads-coordination",
        "police-law-enforcement",
        title_en="[Demo] Fictional coordination meeting of the community",
        title_fr="[Démo] Réunion fictive de coordination de la communauté",
        summary_en="A fictional meeting for the community's members only.",
        summary_fr="Une réunion fictive réservée aux membres de la communauté.",
        event_type=Event.Type.MEETING,
        format=Event.Format.VIRTUAL,
        start=demo_time(now, days=9, hour=11),
        end=demo_time(now, days=9, hour=12),
        virtual_link=f"{MEET}coordination",
        visibility=Event.Visibility.HOSTS,
        registrants=["member3", "felix.ouellet"],
    )
    _event(
        demo,
        "demo-explosives-detection-exercise",
        "explosives",
        title_en="[Demo] Fictional explosives detection field exercise",
        title_fr="[Démo] Exercice fictif de détection d’explosifs sur le terrain",
        summary_en="A fictional field exercise held last month; its outcomes are published.",
        summary_fr="Un exercice fictif sur le terrain tenu le mois dernier; ses résultats "
        "sont publiés.",
        event_type=Event.Type.EXERCISE,
        format=Event.Format.IN_PERSON,
        start=demo_time(now, days=-30, hour=9),
        end=demo_time(now, days=-30, hour=15),
        city="Regina",
        province="SK",
        time_zone="America/Regina",
        visibility=Event.Visibility.PUBLIC,
        registrants=["member2", "felix.ouellet", "maya.lindqvist"],
        outcome={
            "summary_en": "[Demo] Three fictional teams tested detection procedures.",
            "summary_fr": "[Démo] Trois équipes fictives ont mis à l’épreuve les "
            "procédures de détection.",
            "key_takeaways_en": "Radio interoperability remains the main gap.",
            "key_takeaways_fr": "L’interopérabilité radio demeure la principale lacune.",
        },
    )
    _event(
        demo,
        "demo-psychosocial-support-webinar",
        "psychosocial-community-resilience",
        title_en="[Demo] Fictional webinar: psychosocial support after an evacuation",
        title_fr="[Démo] Webinaire fictif : soutien psychosocial après une évacuation",
        summary_en="A fictional webinar held two months ago, with its outcomes.",
        summary_fr="Un webinaire fictif tenu il y a deux mois, avec ses résultats.",
        event_type=Event.Type.WEBINAR,
        format=Event.Format.VIRTUAL,
        start=demo_time(now, days=-60, hour=12),
        end=demo_time(now, days=-60, hour=13),
        virtual_link=f"{MEET}psychosocial",
        visibility=Event.Visibility.PUBLIC,
        registrants=["noor.haddad", "jordan.white-eagle"],
        outcome={
            "summary_en": "[Demo] Fictional speakers shared lessons from evacuation centres.",
            "summary_fr": "[Démo] Des conférenciers fictifs ont présenté des leçons tirées "
            "des centres d’évacuation.",
        },
    )
