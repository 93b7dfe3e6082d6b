"""Writes detentions.xlsx, the example's one workbook (kept in git; run this to change it).
Every person in it is invented."""

from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "record_no", "detainee_no", "name", "name_ar", "protected", "pseudonym", "fate",
    "facility_code", "facility_name", "facility_kind", "location", "operated_by",
    "arrested", "released", "confidence", "incident_kind", "incident_description",
    "source_ids",
]  # fmt: skip
ROWS = [
    ["R-1", "D-01", "Rana Haddad", "رنا حداد", "yes", "Detainee W-7", "Released",
     "F-1", "Fictional Palm Street Prison", "prison", "Fictional City", "U-210",
     "14/06/2012", "02/03/2013", "High", "Torture",
     "Beaten during interrogation; a cellmate, Yusuf Qaddour, saw it.", "E-02"],
    ["R-2", "D-02", "Yusuf Qaddour", "يوسف قدور", "", "", "Disappeared",
     "F-1", "Fictional Palm Street Prison", "prison", "Fictional City", "U-210",
     "20/06/2012", "", "Medium", "Enforced disappearance",
     "Last seen in the yard by Rana Haddad in August 2012.", "E-02;E-03"],
    ["R-3", "D-03", "Laila Fictional-Nasser", "", "", "", "Died in custody",
     "F-2", "Fictional Section 315 Cells", "branch", "Fictional City", "U-315",
     "03/01/2013", "28/02/2013", "Medium", "Death in custody",
     "Family received a death certificate.", "E-03"],
    ["R-4", "D-04", "Omar Fictional-Khatib", "", "", "", "Still held",
     "F-2", "Fictional Section 315 Cells", "branch", "Fictional City", "U-315",
     "11/11/2013", "", "Low", "", "", ""],
]  # fmt: skip

book = Workbook()
sheet = book.active
sheet.title = "Detentions"
sheet.append(HEADER)
for row in ROWS:
    sheet.append(row)
book.save(Path(__file__).with_name("detentions.xlsx"))
