"""The fictional demo case: a small detention network that exercises every liability rule.

Every person, unit and facility here is invented. The data is written as tables so that a
reader can check each deliberate case of the trace (docs/design.md, "Liability trace") by eye.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

_X, _A = "exact", "approximate"
_TORTURE, _KILLING, _SEXUAL = "torture", "killing", "sexual_violence"
_VANISHED, _DETAINED = "enforced_disappearance", "arbitrary_detention"
_DIED, _FREED, _MISSING = "died_in_custody", "released", "disappeared"
_H, _M, _L = "high", "medium", "low"

_DOC_A = "Documentation Centre A"
_TEAM_B = "Witness interview team B"
_DEF_C = "Defector debrief team C"
_OSINT_D = "Open-source research unit D"
_MON_E = "Rights monitor E"
_FAM_F = "Families' association F"
_TEAM_G = "Witness interview team G"
_MED_H = "Medical documentation team H"

#: Admiralty grading each source earned in this (fictional) collection.
_GRADING: dict[str, tuple[str, int]] = {
    _DOC_A: ("A", 2), _TEAM_B: ("B", 2), _DEF_C: ("C", 2), _OSINT_D: ("C", 3),
    _MON_E: ("B", 3), _FAM_F: ("C", 4), _TEAM_G: ("B", 3), _MED_H: ("A", 1),
}  # fmt: skip

_F = "of the fictional Central Security Directorate"

# (id, name, Arabic-script alias, Latin alias, kind, parent name hint)
_UNITS: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("u-01", "Central Security Directorate (fictional)", "إدارة الأمن المركزي", "CSD",
     "directorate", None),
    ("u-02", f"Northern Regional Command {_F}", "القيادة الإقليمية الشمالية",
     "Northern Regional Command", "regional command", "Central Security Directorate"),
    ("u-03", f"Southern Regional Command {_F}", "القيادة الإقليمية الجنوبية",
     "Southern Regional Command", "regional command", "Central Security Directorate"),
    ("u-04", f"Branch 238 {_F}", "الفرع 238", "Branch 238", "branch", "Northern Regional Command"),
    ("u-05", f"Branch 256 {_F}", "الفرع 256", "Branch 256", "branch", "Northern Regional Command"),
    ("u-06", f"Branch 277 {_F}", "الفرع 277", "Branch 277", "branch", "Southern Regional Command"),
    ("u-07", "Investigation Section of Branch 238", "قسم التحقيق في الفرع 238", "Section 238/2",
     "section", "Branch 238"),
    ("u-08", "Guard Company 238-G", "سرية الحراسة 238", "Guard Company 238", "company",
     "Investigation Section of Branch 238"),
    ("u-09", "Transport Detachment of the Northern Regional Command", "مفرزة النقل الشمالية",
     "Transport Detachment North", "detachment", "Northern Regional Command"),
    ("u-10", "Northern Popular Defence Committee (fictional militia)",
     "لجنة الدفاع الشعبي الشمالية", "Northern PDC", "militia", None),
)  # fmt: skip

# (id, name, Arabic-script alias, kind, location)
_FACILITIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("f-1", "Northern Detention Centre", "مركز الاحتجاز الشمالي", "prison", "Northern district"),
    ("f-2", "Eastern Interrogation Branch", "فرع التحقيق الشرقي", "branch", "Eastern quarter"),
    ("f-3", "Southern Central Prison", "السجن المركزي الجنوبي", "prison", "Southern district"),
    ("f-4", "Checkpoint 9 on the Ring Road", "حاجز 9", "checkpoint", "Ring Road"),
    ("f-5", "Military Hospital Annex", "ملحق المستشفى العسكري", "hospital", "Northern district"),
)

# Alleged perpetrators, commanders and guards: (id, name, Arabic alias, Latin variant, born)
_OFFICIALS: tuple[tuple[str, str, str, str, int], ...] = (
    ("p-001", "Saeed Maarouf", "سعيد معروف", "Said Marouf", 1956),
    ("p-002", "Nizar Hallaq", "نزار الحلاق", "Nizar al-Hallak", 1962),
    ("p-003", "Karim Tahhan", "كريم الطحان", "Kareem al-Tahhan", 1968),
    ("p-004", "Wael Sarraf", "وائل الصراف", "Wa'il al-Sarraf", 1971),
    ("p-005", "Jamal Kayyal", "جمال الكيال", "Gamal al-Kayyal", 1955),
    ("p-006", "Fares Zayyat", "فارس الزيات", "Faris al-Zayyat", 1960),
    ("p-007", "Tarek Sabbagh", "طارق الصباغ", "Tariq al-Sabbagh", 1958),
    ("p-008", "Mazen Khayyat", "مازن الخياط", "Mazin al-Khayyat", 1964),
    ("p-009", "Samer Dabbour", "سامر دبور", "Samer Dabour", 1966),
    ("p-010", "Anas Shammas", "أنس الشماس", "Anas al-Shammas", 1975),
    ("p-011", "Ziad Rahhal", "زياد رحال", "Ziyad Rahal", 1980),
    ("p-012", "Imad Farra", "عماد الفرا", "Emad al-Farra", 1982),
    ("p-013", "Bilal Tawil", "بلال الطويل", "Bilal al-Taweel", 1977),
    ("p-014", "Munir Sawwan", "منير صوان", "Mounir Sawan", 1986),
    ("p-015", "Raed Ghanem", "رائد غانم", "Ra'id Ghanim", 1959),
    ("p-016", "Hisham Qassar", "هشام القصار", "Hicham Kassar", 1970),
)
#: A second Latin spelling for some, as sources rarely agree on transliteration.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "p-001": ("Sa'id Ma'ruf",),
    "p-003": ("Karim Tahan",),
    "p-016": ("Dr. Hisham al-Qassar",),
}

# Victims and witnesses: (id, name, Arabic alias, Latin variant, born, m/f, status, pseudonym)
# A pseudonym marks a protected person.
_CIVILIANS: tuple[tuple[str, str, str, str, int, str, str | None, str | None], ...] = (
    ("p-017", "Nabil Sukkar", "نبيل سكر", "Nabeel Sukkar", 1984, "m", _FREED, None),
    ("p-018", "Iyad Halabi", "إياد الحلبي", "Eyad al-Halabi", 1979, "m", _DIED, None),
    ("p-019", "Majd Qassab", "مجد القصاب", "Majd al-Kassab", 1990, "m", _MISSING, None),
    ("p-020", "Rasha Homsi", "رشا الحمصي", "Racha Homsi", 1988, "f", _FREED, "Witness K-7"),
    ("p-021", "Hani Shami", "هاني الشامي", "Hani al-Shami", 1975, "m", _DIED, None),
    ("p-022", "Luay Zein", "لؤي الزين", "Louay Zein", 1992, "m", _MISSING, None),
    ("p-023", "Ghassan Mallah", "غسان الملاح", "Ghasan al-Mallah", 1968, "m", _FREED, None),
    ("p-024", "Hiba Masri", "هبة المصري", "Heba al-Masri", 1993, "f", _FREED, "Witness K-12"),
    ("p-025", "Firas Hamwi", "فراس الحموي", "Feras Hamwi", 1987, "m", _DIED, None),
    ("p-026", "Ayman Idlibi", "أيمن الإدلبي", "Aiman Idilbi", 1981, "m", _MISSING, None),
    ("p-027", "Haitham Hijazi", "هيثم حجازي", "Haytham Hejazi", 1972, "m", _FREED, None),
    ("p-028", "Suhail Abbara", "سهيل عبارة", "Suheil Abbara", 1995, "m", _DIED, None),
    ("p-029", "Dima Khoury", "ديما خوري", "Deema Khouri", 1990, "f", _FREED, "Victim V-3"),
    ("p-030", "Qusai Barakat", "قصي بركات", "Kusay Barakat", 1994, "m", _MISSING, None),
    ("p-031", "Walid Qaddour", "وليد قدور", "Waleed Kaddour", 1966, "m", _DIED, None),
    ("p-032", "Jawad Hourani", "جواد الحوراني", "Jawad al-Hourani", 1985, "m", "detained", None),
    ("p-033", "Lina Daher", "لينا ضاهر", "Leena Daher", 1986, "f", _FREED, "Witness K-19"),
    ("p-034", "Rabih Nahhas", "ربيع النحاس", "Rabie al-Nahhas", 1989, "m", "unknown", None),
    ("p-035", "Maysa Farhat", "ميساء فرحات", "Maisa Farhat", 1980, "f", _MISSING, None),
    ("p-036", "Adnan Kahil", "عدنان كحيل", "Adnan Kuhail", 1970, "m", _DIED, None),
    ("p-037", "Yazan Kurdi", "يزن الكردي", "Yazan al-Kurdi", 1991, "m", _FREED, None),
    ("p-038", "Nadia Sharif", "نادية شريف", "Nadia Cherif", 1983, "f", _FREED, "Witness W-2"),
    ("p-039", "Marwan Jaber", "مروان جابر", "Marwan Jabir", 1974, "m", None, None),
    ("p-040", "Sami Qaisi", "سامي القيسي", "Sami al-Kaisi", 1969, "m", _FREED, None),
)  # fmt: skip

# (id, kind, start, end, facility, title)
_INCIDENTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("i-001", _TORTURE, "2013-04-02", "2013-04-20", "f-1", "Torture during interrogation"),
    ("i-002", _KILLING, "2014-07-10", "2014-07-10", "f-1", "Death in custody after beating"),
    ("i-003", _TORTURE, "2012-09-05", "2012-10-01", "f-2", "Torture of a student detainee"),
    ("i-004", _VANISHED, "2014-11-03", "2016-06-30", "f-2", "Vanished after transfer east"),
    ("i-005", _SEXUAL, "2013-08-14", "2013-08-14", "f-1", "Sexual violence during a search"),
    ("i-006", _DETAINED, "2012-03-12", "2012-03-30", "f-4", "Arrest at Checkpoint 9"),
    ("i-007", _KILLING, "2013-11-20", "2013-11-20", "f-5", "Death of a detainee in the annex"),
    ("i-008", _TORTURE, "2012-06-10", "2012-07-15", "f-3", "Beatings on admission to prison"),
    ("i-009", _SEXUAL, "2013-02-01", "2013-03-15", "f-2", "Sexual violence in interrogation"),
    ("i-010", _VANISHED, "2013-05-02", "2016-12-31", "f-4", "Disappearance at checkpoint"),
    ("i-011", _DETAINED, "2011-09-15", "2012-04-30", "f-1", "Detention of an organiser"),
    ("i-012", _TORTURE, "2012-02-20", "2012-03-05", "f-1", "Suspension torture of a detainee"),
    ("i-013", _KILLING, "2015-03-18", "2015-03-18", "f-1", "Killing of a long-term detainee"),
    ("i-014", _TORTURE, "2014-01-10", "2014-02-20", "f-3", "Torture in the solitary wing"),
    ("i-015", _KILLING, "2014-03-02", "2014-03-02", "f-3", "Death after torture in solitary"),
    ("i-016", _SEXUAL, "2015-06-01", "2015-06-30", "f-3", "Sexual violence in women's wing"),
    ("i-017", _DETAINED, "2011-05-10", "2011-08-30", "f-2", "Mass arrest of protesters"),
    ("i-018", _VANISHED, "2012-12-01", "2015-12-31", "f-2", "Disappearance on re-arrest"),
    ("i-019", _TORTURE, "2014-06-15", "2014-06-30", "f-1", "Torture of a detained nurse"),
    ("i-020", _KILLING, "2014-09-09", "2014-09-09", "f-5", "Death after transfer to the annex"),
    ("i-021", _VANISHED, "2013-09-01", "2016-12-31", "f-4", "Second arrest, never seen"),
    ("i-022", _TORTURE, "2015-02-01", "2015-03-10", "f-2", "Torture of a transferred detainee"),
    ("i-023", _KILLING, "2015-04-22", "2015-04-22", "f-2", "Death in the interrogation wing"),
    ("i-024", _VANISHED, "2016-01-10", "2016-12-31", "f-1", "Disappearance of a returnee"),
    ("i-025", _TORTURE, "2012-04-05", "2012-04-25", "f-1", "Torture after checkpoint arrest"),
    ("i-026", _SEXUAL, "2012-10-10", "2012-10-12", "f-3", "Sexual violence on admission"),
    ("i-027", _TORTURE, "2013-11-10", "2013-11-19", "f-5", "Ill-treatment of a sick detainee"),
    ("i-028", _DETAINED, "2016-02-01", "2016-12-31", "f-3", "Re-detention without charge"),
    ("i-029", _VANISHED, "2013-01-20", "2015-12-31", "f-1", "Vanished after transfer north"),
    ("i-030", _DETAINED, "2012-08-08", "2012-08-20", "f-4", "Round-up at Checkpoint 9"),
)  # fmt: skip

_VICTIMS: dict[str, tuple[str, ...]] = {
    "i-001": ("p-017",), "i-002": ("p-018",), "i-003": ("p-019",), "i-004": ("p-022",),
    "i-005": ("p-020",), "i-006": ("p-023",), "i-007": ("p-021",), "i-008": ("p-027",),
    "i-009": ("p-024",), "i-010": ("p-026",), "i-011": ("p-032",), "i-012": ("p-025",),
    "i-013": ("p-025",), "i-014": ("p-028",), "i-015": ("p-028",), "i-016": ("p-029",),
    "i-017": ("p-030", "p-034"), "i-018": ("p-030",), "i-019": ("p-033",), "i-020": ("p-031",),
    "i-021": ("p-035",), "i-022": ("p-036",), "i-023": ("p-036",), "i-024": ("p-034",),
    "i-025": ("p-023",), "i-026": ("p-029",), "i-027": ("p-021",), "i-028": ("p-032",),
    "i-029": ("p-019",), "i-030": ("p-035",),
}  # fmt: skip
_PERPETRATORS: dict[str, tuple[str, ...]] = {
    "i-001": ("p-014", "p-010"), "i-002": ("p-014", "p-011"), "i-005": ("p-011",),
    "i-006": ("p-013",), "i-010": ("p-013",), "i-012": ("p-010",), "i-013": ("p-011",),
    "i-019": ("p-014", "p-010"), "i-021": ("p-013",), "i-025": ("p-010",), "i-030": ("p-013",),
}  # fmt: skip
_ORDERERS: dict[str, tuple[str, ...]] = {
    "i-001": ("p-003",), "i-003": ("p-008",), "i-004": ("p-009",), "i-008": ("p-009",),
    "i-009": ("p-008",), "i-011": ("p-002",), "i-012": ("p-002",), "i-013": ("p-004",),
    "i-017": ("p-008",), "i-022": ("p-009",), "i-025": ("p-002",),
    # Branch 256's head orders a killing after the branch was moved south: u-05 -> u-03.
    "i-023": ("p-008",),
}  # fmt: skip
# (actor, incident, contribution)
_INCIDENT_AID: tuple[tuple[str, str, str], ...] = (
    ("p-012", "i-004", "transfers"), ("p-016", "i-007", "paperwork"),
    ("u-10", "i-010", "concealment"), ("p-012", "i-020", "transfers"),
    ("p-016", "i-020", "paperwork"), ("p-016", "i-027", "concealment"),
    ("p-012", "i-029", "transfers"),
)  # fmt: skip

# Items about structure and places: (id, kind, title, source, acquired, classification, about)
_RECORDS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("e-001", "document", "Organisational chart of the Directorate, 2012 edition", _DOC_A,
     "2015-03-02", "confidential", "u-01 u-02 u-03 u-04 u-05 u-06 u-07 u-09"),
    ("e-002", "document", "Organisational chart of the Directorate, 2015 edition", _DOC_A,
     "2017-01-19", "confidential", "u-01 u-02 u-03 u-04 u-05 u-06 u-07 u-08 u-09"),
    ("e-003", "document", "Personnel register extract, 2011-2013", _DOC_A, "2015-03-02",
     "confidential", "p-001 p-002 p-003 p-005 p-007 p-008 p-010 p-011 p-012 p-014 p-039"),
    ("e-004", "document", "Personnel register extract, 2014-2016", _DOC_A, "2017-01-19",
     "confidential", "p-003 p-004 p-006 p-009 p-011 p-012 p-015 p-016"),
    ("e-005", "testimony", "Debrief of a former Branch 238 officer", _DEF_C, "2014-11-05",
     "confidential", "u-04 u-07 u-08 f-1 p-002 p-003 p-010"),
    ("e-006", "testimony", "Debrief of a former Northern Regional Command clerk", _DEF_C,
     "2014-02-17", "confidential", "p-039 u-02 u-05 u-09 p-005 p-001"),
    ("e-007", "document", "Order moving Branch 256 to the Southern Regional Command", _DOC_A,
     "2016-05-30", "confidential", "u-05 u-03"),
    ("e-008", "report", "Open-source study of unit commanders, 2011-2016", _OSINT_D,
     "2017-06-12", "public", "p-001 p-004 p-006 p-007 p-009 p-013 p-015 u-10"),
    ("e-009", "report", "Report on detention sites in the northern region", _MON_E,
     "2015-09-01", "public", "f-1 f-2 f-4 u-10"),
    ("e-010", "photo", "Unit insignia at the Northern Detention Centre gate", _OSINT_D,
     "2013-12-01", "public", "f-1 u-04"),
    ("e-011", "document", "Duty rosters of Guard Company 238-G", _DOC_A, "2016-05-30",
     "confidential", "u-08 p-011 p-014 f-1 f-4"),
    ("e-012", "dataset", "Transfer logs between detention sites, 2012-2015", _DOC_A,
     "2017-01-19", "confidential", "u-09 p-012 f-1 f-2 f-3 f-4 f-5"),
    ("e-013", "report", "Satellite imagery analysis of detention site expansion", _OSINT_D,
     "2017-03-08", "public", "f-1 f-2 f-3"),
    ("e-014", "dataset", "Relatives' reports of missing detainees", _FAM_F, "2016-10-01",
     "confidential", "p-019 p-022 p-026 p-030 p-034 p-035"),
    ("e-015", "document", "Detainee register of the Northern Detention Centre (partial)",
     _DOC_A, "2015-03-02", "confidential", "f-1 p-017 p-018 p-023 p-025 p-031 p-032"),
    ("e-016", "document", "Detainee register of the Eastern Interrogation Branch (partial)",
     _DOC_A, "2015-03-02", "confidential", "f-2 p-019 p-028 p-030 p-034 p-036"),
    ("e-017", "report", "Southern Central Prison: survivor accounts compiled", _MON_E,
     "2016-08-15", "public", "f-3 u-06 p-009 p-027 p-040"),
    ("e-018", "document", "Death certificates issued at the Military Hospital Annex", _DOC_A,
     "2015-03-02", "confidential", "f-5 p-016 p-021 p-031"),
)  # fmt: skip

# A second, independent item for some incidents: (id, incident, kind, title, source, witness)
_CORROBORATION: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("e-049", "i-001", "testimony", "Former cellmate's account", _TEAM_G, "p-037"),
    ("e-050", "i-002", "photo", "Photograph of the body", _DOC_A, None),
    ("e-051", "i-003", "document", "Interrogation record, Branch 256", _DOC_A, None),
    ("e-052", "i-005", "report", "Medico-legal report on the survivor", _MED_H, None),
    ("e-053", "i-007", "photo", "Morgue photograph", _DOC_A, None),
    ("e-054", "i-009", "testimony", "Account of a fellow detainee", _TEAM_G, "p-038"),
    ("e-055", "i-012", "report", "Monitor's case summary", _MON_E, None),
    ("e-056", "i-015", "testimony", "Account of a solitary-wing detainee", _TEAM_G, "p-040"),
    ("e-057", "i-019", "report", "Medico-legal report on scarring", _MED_H, None),
    ("e-058", "i-020", "document", "Death certificate naming heart failure", _DOC_A, None),
    ("e-059", "i-022", "report", "Monitor's case summary", _MON_E, None),
    ("e-060", "i-029", "document", "Transfer order naming the detainee", _DOC_A, None),
)

# Standing relations: (from, to, valid_from, valid_to, precision, confidence, evidence)
_Span = tuple[str, str, str | None, str | None, str, str, tuple[str, ...]]

_SUBORDINATION: tuple[_Span, ...] = (
    ("u-02", "u-01", "2011-01-01", None, _X, _H, ("e-001", "e-002")),
    ("u-03", "u-01", "2011-01-01", None, _X, _H, ("e-001", "e-002")),
    ("u-04", "u-02", "2011-01-01", None, _X, _H, ("e-001", "e-005")),
    # Branch 256 is re-parented: the 2014 reorganisation order moves it south.
    ("u-05", "u-02", "2011-01-01", "2013-12-31", _X, _H, ("e-001", "e-006")),
    ("u-05", "u-03", "2014-01-01", None, _X, _H, ("e-007", "e-002")),
    ("u-06", "u-03", "2011-01-01", None, _A, _M, ("e-001", "e-017")),
    ("u-07", "u-04", "2011-01-01", None, _A, _H, ("e-001", "e-005")),
    ("u-08", "u-07", "2012-05-01", None, _X, _H, ("e-011", "e-002")),
    ("u-09", "u-02", "2011-06-01", None, _A, _M, ("e-006", "e-012")),
)
_COMMANDS: tuple[_Span, ...] = (
    # The Directorate head's start is unknown: his command is undated.
    ("p-001", "u-01", None, "2014-12-31", _A, _M, ("e-003", "e-006")),
    ("p-015", "u-01", "2015-01-01", None, _A, _M, ("e-004", "e-008")),
    ("p-005", "u-02", "2011-01-01", "2013-12-31", _A, _H, ("e-003", "e-006")),
    ("p-006", "u-02", "2014-01-01", None, _X, _H, ("e-004", "e-008")),
    ("p-007", "u-03", "2011-06-01", "2016-12-31", _A, _M, ("e-003", "e-008")),
    # Branch 238: command ends before i-001, the next begins, and two overlap in mid-2014.
    ("p-002", "u-04", "2010-09-01", "2012-12-31", _X, _H, ("e-003", "e-005")),
    ("p-003", "u-04", "2013-01-15", "2014-08-31", _X, _H, ("e-003", "e-005")),
    ("p-004", "u-04", "2014-06-01", None, _A, _M, ("e-004", "e-008")),
    ("p-008", "u-05", "2011-01-01", "2015-06-30", _A, _H, ("e-003", "e-006")),
    ("p-009", "u-06", "2012-03-01", None, _X, _H, ("e-004", "e-008")),
    ("p-010", "u-07", "2012-01-01", "2016-06-30", _A, _M, ("e-003", "e-005")),
    ("p-011", "u-08", "2012-05-01", "2015-12-31", _X, _H, ("e-011", "e-004")),
    ("p-012", "u-09", "2012-01-01", "2015-12-31", _A, _M, ("e-012", "e-006")),
    ("p-013", "u-10", "2012-02-01", "2014-12-31", _A, _L, ("e-008", "e-009")),
)
_OPERATIONS: tuple[_Span, ...] = (
    ("u-04", "f-1", "2011-03-01", None, _X, _H, ("e-009", "e-010")),
    # The Eastern Interrogation Branch changes hands: incidents before October 2013 trace
    # to Branch 256, later ones to Branch 277.
    ("u-05", "f-2", "2011-04-01", "2013-09-30", _X, _H, ("e-016", "e-009")),
    ("u-06", "f-2", "2013-10-01", None, _X, _H, ("e-002", "e-009")),
    ("u-06", "f-3", "2011-01-01", None, _A, _M, ("e-017", "e-013")),
    ("u-10", "f-4", "2012-02-01", "2012-04-30", _A, _L, ("e-009",)),
    ("u-08", "f-4", "2012-05-01", "2014-12-31", _A, _M, ("e-011", "e-009")),
    ("u-02", "f-5", "2011-01-01", None, _A, _M, ("e-018", "e-001")),
)
# (rank, membership)
_MEMBERSHIPS: tuple[tuple[str | None, _Span], ...] = (
    ("major general", ("p-001", "u-01", None, "2014-12-31", _A, _M, ("e-003",))),
    ("major general", ("p-015", "u-01", "2015-01-01", None, _A, _M, ("e-004", "e-008"))),
    ("brigadier general", ("p-005", "u-02", "2011-01-01", "2013-12-31", _A, _H, ("e-003",))),
    ("brigadier general", ("p-006", "u-02", "2014-01-01", None, _X, _H, ("e-004", "e-008"))),
    ("brigadier general", ("p-007", "u-03", "2011-06-01", "2016-12-31", _A, _M, ("e-003",))),
    ("colonel", ("p-002", "u-04", "2010-09-01", "2012-12-31", _X, _H, ("e-003", "e-005"))),
    # Karim Tahhan served in the investigation section before taking over the branch.
    ("lieutenant colonel", ("p-003", "u-07", "2011-01-01", "2013-01-14", _A, _M, ("e-005",))),
    ("colonel", ("p-003", "u-04", "2013-01-15", "2014-08-31", _X, _H, ("e-003", "e-005"))),
    ("colonel", ("p-004", "u-04", "2014-06-01", None, _A, _M, ("e-004", "e-008"))),
    ("colonel", ("p-008", "u-05", "2011-01-01", "2015-06-30", _A, _H, ("e-003", "e-006"))),
    ("colonel", ("p-009", "u-06", "2012-03-01", None, _X, _H, ("e-004", "e-017"))),
    ("major", ("p-010", "u-07", "2012-01-01", "2016-06-30", _A, _M, ("e-003", "e-005"))),
    ("captain", ("p-011", "u-08", "2012-05-01", "2015-12-31", _X, _H, ("e-011", "e-004"))),
    ("first lieutenant", ("p-012", "u-09", "2012-01-01", "2015-12-31", _A, _M, ("e-012",))),
    (None, ("p-013", "u-10", "2012-02-01", "2014-12-31", _A, _L, ("e-008", "e-009"))),
    ("sergeant", ("p-014", "u-08", "2012-05-01", "2014-12-31", _A, _H, ("e-011", "e-003"))),
    ("major", ("p-016", "u-02", "2012-06-01", "2015-12-31", _A, _M, ("e-018", "e-004"))),
    ("warrant officer", ("p-039", "u-02", "2009-03-01", "2013-06-30", _A, _M, ("e-006", "e-003"))),
)  # fmt: skip
_TITLES: dict[str, str] = {
    "p-001": "director",
    "p-015": "director",
    "p-013": "group leader",
    "p-016": "physician",
    "p-039": "clerk",
}

# (role, command, posting)
_POSTS: tuple[tuple[str, bool, _Span], ...] = (
    ("director", True, ("p-002", "f-1", "2011-03-01", "2012-12-31", _X, _H, ("e-003", "e-005"))),
    ("director", True, ("p-004", "f-1", "2014-09-01", None, _A, _M, ("e-004", "e-008"))),
    ("head of interrogation", False,
     ("p-010", "f-1", "2012-01-01", "2016-06-30", _A, _M, ("e-005", "e-003"))),
    ("guard company commander", False,
     ("p-011", "f-1", "2012-05-01", "2015-12-31", _X, _H, ("e-011", "e-004"))),
    ("guard", False, ("p-014", "f-1", "2012-05-01", "2014-12-31", _A, _H, ("e-011", "e-003"))),
    ("director", True, ("p-008", "f-2", "2011-04-01", "2013-09-30", _X, _H, ("e-003", "e-006"))),
    ("director", True, ("p-009", "f-3", "2012-03-01", None, _X, _H, ("e-004", "e-017"))),
    ("checkpoint chief", True, ("p-013", "f-4", "2012-02-01", "2014-12-31", _A, _L, ("e-009",))),
    ("physician", False, ("p-016", "f-5", "2013-01-01", "2015-12-31", _A, _M, ("e-018", "e-004"))),
)  # fmt: skip
# The posting stated first with a misread start date, then restated; both are kept.
_WRONG_POST: _Span = ("p-003", "f-1", "2012-01-01", "2014-08-31", _X, _M, ("e-005",))
_RIGHT_POST: _Span = ("p-003", "f-1", "2013-01-15", "2014-08-31", _X, _H, ("e-003", "e-011"))
_RETRACTION: dict[str, str] = {
    "by": "demo-editor",
    "reason": "Start date misread from an undated debrief; the personnel register shows the "
    "posting began on 2013-01-15.",
    "at": "2024-01-10T09:00:00Z",
}

# Protected people's records cite only protected items, so no register leaks their names.
_DETENTIONS: tuple[_Span, ...] = (
    ("p-017", "f-4", "2013-03-20", "2013-03-22", _X, _H, ("e-012", "e-019")),
    ("p-017", "f-1", "2013-03-22", "2013-10-01", _X, _H, ("e-015", "e-019")),
    ("p-018", "f-1", "2014-02-11", "2014-07-10", _X, _H, ("e-015", "e-020")),
    ("p-019", "f-2", "2012-08-30", "2013-01-19", _A, _H, ("e-016", "e-014")),
    ("p-019", "f-1", "2013-01-20", None, _A, _M, ("e-012", "e-014")),
    ("p-020", "f-1", "2013-07-01", "2014-01-30", _A, _H, ("e-023", "e-052")),
    ("p-021", "f-3", "2013-06-01", "2013-11-09", _A, _M, ("e-012",)),
    ("p-021", "f-5", "2013-11-09", "2013-11-20", _X, _H, ("e-018", "e-025")),
    ("p-022", "f-4", "2014-10-28", "2014-11-02", _A, _M, ("e-012", "e-014")),
    ("p-022", "f-2", "2014-11-03", None, _A, _M, ("e-012", "e-022")),
    ("p-023", "f-4", "2012-03-12", "2012-03-30", _X, _H, ("e-024", "e-012")),
    ("p-023", "f-1", "2012-03-30", "2012-09-15", _X, _H, ("e-015", "e-043")),
    ("p-024", "f-2", "2013-01-25", "2013-06-30", _A, _H, ("e-027", "e-054")),
    ("p-025", "f-1", "2012-02-18", "2015-03-18", _X, _H, ("e-015", "e-030")),
    ("p-026", "f-4", "2013-05-02", "2013-05-03", _A, _M, ("e-028", "e-014")),
    ("p-027", "f-3", "2012-06-05", "2012-12-20", _A, _M, ("e-017", "e-026")),
    ("p-028", "f-2", "2013-12-15", "2014-01-05", _A, _H, ("e-016", "e-012")),
    ("p-028", "f-3", "2014-01-05", "2014-03-02", _X, _H, ("e-012", "e-056")),
    ("p-029", "f-3", "2012-09-20", "2015-07-30", _A, _H, ("e-034", "e-044")),
    ("p-030", "f-2", "2011-05-10", "2011-08-30", _X, _H, ("e-016", "e-035")),
    ("p-030", "f-2", "2012-12-01", None, _A, _M, ("e-014", "e-036")),
    ("p-031", "f-1", "2014-03-04", "2014-09-05", _A, _M, ("e-015", "e-012")),
    ("p-031", "f-5", "2014-09-05", "2014-09-09", _X, _H, ("e-018", "e-058")),
    ("p-032", "f-1", "2011-09-15", "2012-04-30", _X, _H, ("e-015", "e-029")),
    ("p-032", "f-3", "2016-02-01", None, _A, _M, ("e-046",)),
    ("p-033", "f-1", "2014-05-20", "2014-12-10", _A, _H, ("e-037", "e-057")),
    ("p-034", "f-2", "2011-05-10", "2011-08-30", _X, _H, ("e-016", "e-035")),
    ("p-034", "f-1", "2016-01-08", None, _A, _L, ("e-014", "e-042")),
    ("p-035", "f-4", "2012-08-08", "2012-08-20", _X, _M, ("e-048", "e-014")),
    ("p-035", "f-4", "2013-09-01", "2013-09-02", _A, _M, ("e-039", "e-014")),
    ("p-036", "f-3", "2015-01-10", "2015-01-31", _A, _M, ("e-012", "e-017")),
    ("p-036", "f-2", "2015-01-31", "2015-04-22", _X, _H, ("e-016", "e-040")),
    ("p-037", "f-1", "2013-03-01", "2013-09-30", _A, _M, ("e-049", "e-015")),
    ("p-038", "f-2", "2013-01-10", "2013-05-30", _A, _M, ("e-054",)),
    ("p-040", "f-3", "2013-12-20", "2014-04-15", _A, _M, ("e-056", "e-017")),
)

# Standing aid to a facility or unit: (contribution, span)
_STANDING_AID: tuple[tuple[str, _Span], ...] = (
    ("transfers", ("u-09", "f-1", "2012-01-01", "2015-12-31", _A, _M, ("e-012", "e-005"))),
    ("guarding", ("u-10", "u-04", "2012-02-01", "2014-12-31", _A, _L, ("e-009", "e-008"))),
    ("guarding", ("p-013", "f-4", "2012-02-01", "2014-12-31", _A, _M, ("e-009", "e-011"))),
    ("concealment", ("p-016", "f-5", "2013-01-01", "2015-12-31", _A, _M, ("e-018", "e-053"))),
)

_CASE_ID = "case-1"
# What the demo case file holds, each with the item that justifies including it.
_CASE_CONTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("f-1", ("e-015", "e-009")), ("u-04", ("e-001",)), ("p-002", ("e-003",)),
    ("p-003", ("e-003", "e-005")), ("p-004", ("e-004",)), ("p-014", ("e-011",)),
    ("i-001", ("e-019", "e-049")), ("i-002", ("e-020", "e-050")), ("i-019", ("e-037",)),
    ("e-015", ("e-015",)), ("e-019", ("e-019",)),
)  # fmt: skip

# What the elements of liability rest on (docs/design.md, "Elements of liability"):
# (type, span, how). Karim Tahhan (p-003) is told of abuses at the Northern Detention
# Centre before i-001 and shows control of the investigation section and a guard; the
# death certificate of i-002 reaches him after it, so it is no notice of it. Wael Sarraf
# (p-004) opens an inquiry into i-002: his failure to act is contradicted.
_ELEMENT_CLAIMS: tuple[tuple[str, _Span, str], ...] = (
    ("NOTIFIED", ("p-003", "f-1", "2013-03-10", "2013-03-10", _X, _M, ("e-014",)),
     "written complaint from a detainee's family, received at the branch"),
    ("NOTIFIED", ("p-003", "i-002", "2014-07-12", "2014-07-12", _X, _H, ("e-018",)),
     "death certificate sent to him for signature"),
    ("EXERCISED_CONTROL", ("p-003", "u-07", "2013-02-01", "2014-06-30", _A, _M, ("e-005",)),
     "issued_orders"),
    ("EXERCISED_CONTROL", ("p-003", "p-014", "2013-09-01", "2013-09-01", _X, _M, ("e-011",)),
     "disciplined"),
    ("EXERCISED_CONTROL", ("p-004", "u-08", "2014-06-15", None, _A, _L, ("e-008",)),
     "appointed"),
    ("TOOK_MEASURES", ("p-004", "i-002", "2014-08-04", "2014-08-04", _X, _L, ("e-009",)),
     "internal inquiry opened, closed without findings"),
)  # fmt: skip

#: The kind and title prefix of each incident's primary item.
_PRIMARY_KIND: dict[str, tuple[str, str]] = {
    _TORTURE: ("testimony", "Survivor testimony"),
    _SEXUAL: ("testimony", "Survivor testimony"),
    _KILLING: ("testimony", "Witness testimony"),
    _VANISHED: ("testimony", "Relative's account"),
    _DETAINED: ("document", "Arrest record"),
}


def _sha256(*parts: str) -> str:
    return hashlib.sha256("|".join(("accountability-demo", *parts)).encode()).hexdigest()


def _instant(day: str, plus_days: int = 0) -> str:
    return f"{dt.date.fromisoformat(day) + dt.timedelta(days=plus_days)}T10:00:00Z"


def _ids(spaced: str) -> list[str]:
    return spaced.split()


class _Graph:
    """Collects nodes and claims in document order; claim ids follow that order."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []

    def node(self, node_id: str, label: str, **properties: Any) -> None:
        props = {key: value for key, value in properties.items() if value is not None}
        self.nodes.append({"id": node_id, "label": label, "properties": props})

    def claim(
        self, claim_type: str, row: _Span, properties: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        source, target, valid_from, valid_to, precision, confidence, evidence = row
        claim: dict[str, Any] = {
            "id": f"c-{len(self.claims) + 1:04d}",
            "type": claim_type,
            "from": source,
            "to": target,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "date_precision": precision,
            "confidence": confidence,
            "evidence": list(evidence),
            "properties": dict(properties or {}),
        }
        self.claims.append(claim)
        return claim


def _incident_evidence() -> dict[str, list[str]]:
    """Evidence ids per incident: its primary item, then any corroborating one."""
    out = {row[0]: [f"e-{18 + n:03d}"] for n, row in enumerate(_INCIDENTS, start=1)}
    for eid, incident, *_ in _CORROBORATION:
        out[incident].append(eid)
    return out


def _evidence_specs() -> list[tuple[str, str, str, str, str, str, list[str]]]:
    """Every evidence item as (id, kind, title, source, acquired_at, classification, about)."""
    specs = [
        (eid, kind, title, source, _instant(day), classification, _ids(about))
        for eid, kind, title, source, day, classification, about in _RECORDS
    ]
    for n, (iid, kind, _start, end, facility, title) in enumerate(_INCIDENTS, start=1):
        ev_kind, prefix = _PRIMARY_KIND[kind]
        source = _TEAM_B if n % 2 else _TEAM_G
        about = [iid, facility, *_VICTIMS[iid]]
        acquired = _instant(end, 45 + 13 * n)
        eid = f"e-{18 + n:03d}"
        specs.append((eid, ev_kind, f"{prefix}: {title}", source, acquired, "confidential", about))
    ends = {row[0]: row[3] for row in _INCIDENTS}
    titles = {row[0]: row[5] for row in _INCIDENTS}
    facilities = {row[0]: row[4] for row in _INCIDENTS}
    for n, (eid, iid, kind, title, source, witness) in enumerate(_CORROBORATION, start=1):
        about = [iid, facilities[iid], *_VICTIMS[iid], *([witness] if witness else [])]
        classification = "public" if kind == "report" and source == _MON_E else "confidential"
        acquired = _instant(ends[iid], 120 + 7 * n)
        specs.append(
            (eid, kind, f"{title}: {titles[iid]}", source, acquired, classification, about)
        )
    return specs


def _add_entities(graph: _Graph) -> set[str]:
    """Units, facilities, people and incidents; returns the protected people's ids."""
    for uid, name, arabic, latin, kind, hint in _UNITS:
        graph.node(
            uid, "Unit", name=name, aliases=[latin, arabic], kind=kind, parent_name_hint=hint
        )
    for fid, name, arabic, kind, location in _FACILITIES:
        graph.node(
            fid,
            "Facility",
            name=name,
            aliases=[arabic],
            kind=kind,
            location=f"{location} (fictional)",
        )
    for pid, name, arabic, latin, born in _OFFICIALS:
        aliases = [arabic, latin, *_EXTRA_ALIASES.get(pid, ())]
        graph.node(pid, "Person", name=name, aliases=aliases, birth_year=born, gender="male")
    protected: set[str] = set()
    for pid, name, arabic, latin, born, gender, status, pseudonym in _CIVILIANS:
        if pseudonym:
            protected.add(pid)
        graph.node(
            pid,
            "Person",
            name=name,
            aliases=[arabic, latin],
            birth_year=born,
            gender={"m": "male", "f": "female"}[gender],
            status=status,
            protected=bool(pseudonym),
            pseudonym=pseudonym,
        )
    for iid, kind, start, end, facility, title in _INCIDENTS:
        place = next(row[1] for row in _FACILITIES if row[0] == facility)
        graph.node(
            iid,
            "Incident",
            kind=kind,
            title=title,
            start_date=start,
            end_date=end,
            description=f"Fictional demo incident at the {place}: {title.lower()}.",
        )
    return protected


def _add_structure(graph: _Graph) -> None:
    for row in _SUBORDINATION:
        graph.claim("SUBORDINATE_TO", row)
    for row in _COMMANDS:
        graph.claim("COMMANDED", row)
    for rank, row in _MEMBERSHIPS:
        props = {"rank": rank, "title": _TITLES.get(row[0])}
        graph.claim("MEMBER_OF", row, {key: value for key, value in props.items() if value})
    for row in _OPERATIONS:
        graph.claim("OPERATED", row)
    for role, command, row in _POSTS:
        graph.claim("POSTED_AT", row, {"role": role, "command": command})
    post = {"role": "director", "command": True}
    graph.claim("POSTED_AT", _WRONG_POST, post)["retraction"] = dict(_RETRACTION)
    graph.claim("POSTED_AT", _RIGHT_POST, post)
    for row in _DETENTIONS:
        graph.claim("DETAINED_AT", row)
    for contribution, row in _STANDING_AID:
        graph.claim("AIDED", row, {"contribution": contribution})


def _add_incident_claims(graph: _Graph) -> None:
    evidence = _incident_evidence()
    aid: dict[str, list[tuple[str, str]]] = {}
    for actor, iid, contribution in _INCIDENT_AID:
        aid.setdefault(iid, []).append((actor, contribution))
    for iid, _kind, start, end, facility, _title in _INCIDENTS:
        items = evidence[iid]
        sure = _H if len(items) > 1 else _M
        unsure = _M if len(items) > 1 else _L

        # Claims about the act itself take the incident's own period.
        acts: list[tuple[str, str, str, str, dict[str, Any]]] = [
            ("OCCURRED_AT", iid, facility, _H, {}),
            *(("VICTIM", iid, victim, sure, {}) for victim in _VICTIMS[iid]),
            *(("PERPETRATED", p, iid, sure, {}) for p in _PERPETRATORS.get(iid, ())),
            *(("ORDERED", p, iid, unsure, {}) for p in _ORDERERS.get(iid, ())),
            *(("AIDED", a, iid, unsure, {"contribution": c}) for a, c in aid.get(iid, ())),
        ]
        for claim_type, source, target, confidence, props in acts:
            graph.claim(
                claim_type, (source, target, start, end, _X, confidence, tuple(items)), props
            )


def _add_evidence(graph: _Graph, protected: set[str]) -> None:
    for eid, kind, title, source, acquired, classification, about in _evidence_specs():
        if protected.intersection(about):
            classification = "protected"
        reliability, credibility = _GRADING[source]
        graph.node(
            eid,
            "Evidence",
            kind=kind,
            title=title,
            sha256=_sha256(eid, title),
            source=source,
            acquired_at=acquired,
            reliability=reliability,
            credibility=credibility,
            classification=classification,
        )
        for target in about:
            graph.claim("DOCUMENTS", (eid, target, None, None, _X, _H, (eid,)))


def _add_case(graph: _Graph) -> None:
    graph.node(
        _CASE_ID,
        "Case",
        title="Demo case: Northern Detention Centre",
        jurisdiction="Fictional universal-jurisdiction court",
        status="investigation",
    )
    for target, evidence in _CASE_CONTENTS:
        graph.claim("INCLUDES", (_CASE_ID, target, None, None, _X, _H, evidence))


def demo_document() -> dict[str, Any]:
    """The fictional demo network as an interchange document, identical on every call."""
    graph = _Graph()
    protected = _add_entities(graph)
    _add_structure(graph)
    _add_incident_claims(graph)
    _add_evidence(graph, protected)
    _add_case(graph)
    # Last, so that the ids of the claims above stay as they were before these existed.
    for claim_type, row, how in _ELEMENT_CLAIMS:
        graph.claim(claim_type, row, {"how": how})
    return {
        "format": "accountability-graph",
        "version": 1,
        "nodes": graph.nodes,
        "claims": graph.claims,
    }
