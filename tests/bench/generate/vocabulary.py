"""The benchmark's bilingual vocabulary: community topics and regions, discussion subjects,
exercise scenarios, project and gap titles, people's names and job titles, and cities with their
provinces and time zones."""

from proposals.models import CapabilityGap

TOPICS = [
    ("Border Security", "Sécurité frontalière"),
    ("Maritime Security", "Sûreté maritime"),
    ("Emergency Management", "Gestion des urgences"),
    ("Wildfire Response", "Intervention en cas de feux de forêt"),
    ("Flood Resilience", "Résilience aux inondations"),
    ("Cyber Incident Response", "Intervention en cas de cyberincident"),
    ("Public Health Emergencies", "Urgences de santé publique"),
    ("Search and Rescue", "Recherche et sauvetage"),
    ("Arctic Safety and Security", "Sûreté et sécurité dans l’Arctique"),
    ("Counter-Terrorism Science", "Science de la lutte contre le terrorisme"),
    ("Space Weather", "Météo spatiale"),
    ("Earthquake Preparedness", "Préparation aux séismes"),
    ("Pandemic Preparedness", "Préparation aux pandémies"),
    ("Mass Gatherings Security", "Sécurité des grands rassemblements"),
    ("Drone Threats", "Menaces liées aux drones"),
    ("Forensic Science", "Science judiciaire"),
    ("Disinformation Resilience", "Résilience face à la désinformation"),
    ("Transportation Safety", "Sécurité des transports"),
    ("Energy Grid Resilience", "Résilience du réseau électrique"),
    ("Extreme Heat", "Chaleur extrême"),
]
REGIONS = [
    ("Atlantic", "Atlantique"),
    ("Quebec", "Québec"),
    ("Ontario", "Ontario"),
    ("Prairies", "Prairies"),
    ("Pacific", "Pacifique"),
    ("Northern", "Nord"),
]
SUBJECTS = [
    ("lessons learned from the wildfire season", "leçons tirées de la saison des feux de forêt"),
    ("interoperable communications", "communications interopérables"),
    ("decontamination after a chemical release", "décontamination après un rejet chimique"),
    ("mass casualty triage", "triage en cas d’afflux massif de blessés"),
    ("ransomware in municipal systems", "rançongiciels dans les systèmes municipaux"),
    ("flood forecasting tools", "outils de prévision des inondations"),
    ("mental health of first responders", "santé mentale des premiers intervenants"),
    ("drone detection at major events", "détection des drones lors de grands événements"),
    ("supply chain resilience", "résilience des chaînes d’approvisionnement"),
    ("radiological emergency monitoring", "surveillance des urgences radiologiques"),
    ("Indigenous-led emergency management", "gestion des urgences dirigée par les Autochtones"),
    ("extreme heat planning", "planification en cas de chaleur extrême"),
]
SCENARIOS = [
    ("rail car derailment with a chlorine release", "déraillement d’un wagon et rejet de chlore"),
    ("ice storm and long power outage", "tempête de verglas et longue panne d’électricité"),
    ("cyberattack on a water utility", "cyberattaque contre un service d’eau"),
    ("pandemic surge in hospitals", "afflux pandémique dans les hôpitaux"),
    ("earthquake on the west coast", "séisme sur la côte ouest"),
]
PROJECT_TITLES = [
    (
        "Rapid detection of chemical threats in transit hubs",
        "Détection rapide des menaces chimiques dans les pôles de transport",
    ),
    (
        "Decision support for wildfire evacuations",
        "Aide à la décision pour les évacuations lors de feux de forêt",
    ),
    (
        "Resilient communications for remote communities",
        "Communications résilientes pour les collectivités éloignées",
    ),
    (
        "Wastewater surveillance for emerging pathogens",
        "Surveillance des eaux usées pour les pathogènes émergents",
    ),
    (
        "Open-source tools for flood risk mapping",
        "Outils libres de cartographie des risques d’inondation",
    ),
    ("Training simulators for paramedics", "Simulateurs de formation pour les paramédics"),
    (
        "Cyber resilience of municipal water systems",
        "Cyberrésilience des réseaux d’eau municipaux",
    ),
    (
        "Counter-drone capabilities for major events",
        "Capacités de lutte contre les drones lors de grands événements",
    ),
    (
        "Peer support programs for first responders",
        "Programmes de soutien par les pairs pour les premiers intervenants",
    ),
    ("Standards for body-worn cameras", "Normes pour les caméras corporelles"),
    (
        "Radiation detection at ports of entry",
        "Détection des rayonnements aux points d’entrée",
    ),
    (
        "Forecasting the health impacts of extreme heat",
        "Prévision des effets de la chaleur extrême sur la santé",
    ),
]
GAP_TITLES = [
    (
        CapabilityGap.Kind.CAPABILITY_GAP,
        "Shared situational awareness",
        "Connaissance commune de la situation",
    ),
    (
        CapabilityGap.Kind.RISK,
        "Loss of critical staff during a crisis",
        "Perte de personnel essentiel en situation de crise",
    ),
    (
        CapabilityGap.Kind.VULNERABILITY,
        "Ageing detection equipment",
        "Équipement de détection vieillissant",
    ),
    (
        CapabilityGap.Kind.PRIORITY,
        "Training for regional responders",
        "Formation des intervenants régionaux",
    ),
]
FIRST_NAMES = [
    "Émilie", "Jean-François", "Priya", "Wei", "Aaliyah", "Mohammed", "Sarah", "Olivier",
    "Geneviève", "Liam", "Noah", "Chloé", "Mathieu", "Amélie", "Daniel", "Fatima", "Isabelle",
    "Kevin", "Marie-Ève", "Nathalie", "Oluwaseun", "Pierre", "Raphaël", "Sophie", "Thomas",
    "Valérie", "William", "Yasmine", "Zoé", "Alexandre", "Catherine", "David", "Élise",
    "Gabriel", "Hannah", "Jasmine", "Karim", "Léa", "Michael", "Nadia", "Owen", "Samuel",
]  # fmt: skip
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Smith", "Brown", "Wilson",
    "MacDonald", "Campbell", "Anderson", "Taylor", "Thompson", "Martin", "Leblanc", "Singh",
    "Nguyen", "Li", "Chen", "Patel", "Kaur", "Ahmed", "Okafor", "Cardinal", "Whitehorse",
    "Mercier", "Beaulieu", "O’Brien", "Kowalski", "Haddad", "Fraser", "Ross", "Dubé",
]  # fmt: skip
JOB_TITLES = [
    "Senior policy analyst", "Defence scientist", "Emergency management coordinator",
    "Fire chief", "Paramedic supervisor", "Program manager", "Research associate",
    "Chief of operations", "Intelligence analyst", "Public health officer",
    "Cyber security advisor", "Professor", "Director, Preparedness",
]  # fmt: skip
CITIES = [
    ("Ottawa", "ON", "America/Toronto"),
    ("Gatineau", "QC", "America/Toronto"),
    ("Montréal", "QC", "America/Toronto"),
    ("Québec", "QC", "America/Toronto"),
    ("Toronto", "ON", "America/Toronto"),
    ("Halifax", "NS", "America/Halifax"),
    ("Moncton", "NB", "America/Halifax"),
    ("St. John’s", "NL", "America/St_Johns"),
    ("Winnipeg", "MB", "America/Winnipeg"),
    ("Regina", "SK", "America/Regina"),
    ("Calgary", "AB", "America/Edmonton"),
    ("Edmonton", "AB", "America/Edmonton"),
    ("Vancouver", "BC", "America/Vancouver"),
    ("Victoria", "BC", "America/Vancouver"),
    ("Whitehorse", "YT", "America/Whitehorse"),
    ("Yellowknife", "NT", "America/Edmonton"),
]
