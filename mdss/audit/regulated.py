"""Which tables are regulated records, and which are not and why.

A regulated table's rows are never deleted or truncated: database triggers refuse it
(``db.protect``, installed for every table below after each ``migrate``), changes go
through services that write audit events, and what looks like removal (a line taken
off a draft, lines and instalments replaced by an amendment) marks the row
superseded instead. ``APPEND_ONLY`` tables refuse UPDATE too.

Every model of the project must appear here: ``test_every_table_is_regulated_or_exempt``
fails for a new model that is in neither list, so each new table is a decision.
"""

APPEND_ONLY = {
    "audit.AuditEvent": "the audit trail itself",
    "audit.ESignature": "who signed what, when, meaning what",
    "contracts.DeliveredUnit": "X5 which unit a delivered line brought",
    "devices.DeviceTransfer": "X5 a unit moved to another customer or site",
    "inventory.StockMove": "A8/A10 the stock ledger: every move of a part",
    "complaints.OriginalMessage": "A13 the e-mail a complaint came from, as it arrived",
    "complaints.Note": "A15 what the special team learnt, said and decided",
    "complaints.TeamMember": "A14 who was on a major complaint's special team, in what role",
    "complaints.Document": "A15 the investigation's documents",
    "complaints.ManufacturerNotice": "who told the manufacturer of a reportable complaint",
    "quality.AeManufacturerNotice": "who told the manufacturer of an adverse event, when, how",
    "risk.Assessment": "Q7 a dated likelihood × impact assessment on its matrix version",
    "risk.Review": "Q9 a periodic review of a risk's measures and its reassessment",
    "analytics.RegionDecision": "D2 management's decision on a growing or declining region",
}

REGULATED = {
    "devices.PmPlan": "preventive maintenance plans: versions kept, the one followed stays",
    # After-sales service (A4–A9, X5).
    "service.ServiceRequest": "A4–A9 a service request, its deadlines and its outcome",
    "service.Visit": "A7 a visit on site and its repair record",
    "service.ReplacedPart": "A7/X5 a part fitted and the one removed",
    "service.Confirmation": "A7 the customer's confirmation or refusal of the result",
    "service.FollowUp": "A9 the follow-up visit and the customer's satisfaction",
    "service.ImprovementAction": "A9 what was done about a dissatisfied customer",
    # Complaints (A13–A15).
    "complaints.Complaint": "A13–A15 a complaint, its deadlines, investigation and outcome",
    "complaints.Task": "A15 a task of the investigation and its result",
    "complaints.Handover": "a product complaint handed over to quality's adverse-event flow",
    # Quality (Q3, Q6, X5, adverse events).
    "quality.ProductFeedback": "Q3 a product problem sent to its manufacturer and the answer",
    "quality.Incident": "Q6 a quality incident, its root cause, verification and closure",
    "quality.CapaAction": "Q6 a corrective or preventive action and its result",
    "quality.AdverseEvent": "a suspected adverse event and its statutory report",
    "quality.Recall": "X5 a recall, what it covers and its closure",
    "quality.RecallNotice": "X5 an affected customer told of a recall, and the acknowledgement",
    "quality.RecallDevice": "X5 an affected unit and its corrective action",
    "quality.Evaluation": "Q4 an engineer's evaluation for a period and its review",
    "quality.RecordAudit": "Q5 a service-record audit, its sample and its summary",
    "quality.AuditItem": "Q5 a sampled record and its checklist",
    "quality.Finding": "Q5 an audit finding and its rectification",
    # Risk management (Q7–Q9).
    "risk.RiskMatrix": "Q7 a version of the acceptability matrix, signed by management",
    "risk.Risk": "Q7 a risk of sales or service, its owner and current level",
    "risk.Measure": "Q8 a response measure and its result",
    "risk.Signal": "Q7 a risk the data proposed, and the decision on it",
    # The policy and its clocks: which deadline governed which record.
    "calendars.PolicyVersion": "the policy in force on a date",
    "calendars.SlaTarget": "the deadlines of a policy version",
    "calendars.PolicyCadence": "the cadences of a policy version",
    "calendars.SlaClock": "each obligation's deadline and whether it was met",
    # Q1/Q2: the papers that made a product sellable, and the overrides.
    "catalog.ManufacturerLicence": "Q1 manufacturer's licence",
    "catalog.RegistrationCertificate": "Q1 registration or filing certificate",
    "catalog.ComplianceOverride": "Q1 signed exception to the gate",
    "catalog.ProductDocument": "Q2 IFU, label and certificate of conformity versions",
    "catalog.UdiDeviceIdentifier": "X5 traceability: the DI of a model",
    # The customer's right to buy, and the return-visit record (S7).
    "customers.Qualification": "the customer's licence that allowed a sale",
    "customers.ReturnVisit": "S7 return visits",
    "customers.Feedback": "S7 feedback that changed the sales strategy",
    # Staff competence (S1–S4, A1–A3).
    "training.Certificate": "A1/A3 qualification certificates",
    "training.Authorisation": "a rep's written authorisation to sell",
    "training.TrainingSession": "S2/A2 training held",
    "training.Attendance": "S2/A2 who attended",
    "training.Assessment": "S3/A2 assessments and make-up exams",
    "training.Retraining": "S3 retraining until passed",
    "training.ExternalTraining": "S4 external training and its reimbursement",
    "training.CompetenceOverride": "a signed one-day competence exception",
    # The sales record (S8–S11, S13).
    "contracts.Contract": "S8–S10 the contract",
    "contracts.ContractLine": "S8 what was sold at which price",
    "contracts.Attachment": "annexes legal signed",
    "contracts.Delivery": "Q2 deliveries with their documents",
    "contracts.DeliveryItem": "X5 the units and lots delivered",
    "contracts.Instalment": "S10 the payment plan",
    "contracts.Payment": "S10 payments received",
    "contracts.Problem": "S11 performance problems",
    "contracts.ProblemNote": "S11 the handling of a problem",
    "contracts.Amendment": "S10 changes to a signed contract",
    # The traceability record (X5).
    "devices.InstalledDevice": "X5 each unit at its customer, decommissioned, never deleted",
    # Spare parts (A8, A10, A12): stock kept by the ledger, requisitions and their lines.
    "inventory.StockBalance": "A10 on hand per part and location, kept with the ledger",
    "inventory.Requisition": "A8 a request for parts and its 24-hour deadline",
    "inventory.RequisitionLine": "A8/A12 what was asked, issued and returned",
    "inventory.Supplier": "A11 a supplier and its qualification status",
    "inventory.SupplierDocument": "A11 the papers that qualified a supplier",
    "inventory.PurchaseOrder": "A11 a purchase order and its approval",
    "inventory.PurchaseOrderLine": "A11 specification, quantity, price, delivery date",
    "inventory.Inspection": "A11/A12 incoming inspection: accepted and rejected goods",
    "inventory.StockCount": "A10 a stock count and its approval",
    "inventory.StockCountLine": "A10 book and counted quantities",
    # Prices (S12, S13).
    "pricing.PriceListVersion": "S12 the price list in force on a date",
    "pricing.PriceEntry": "S12 a model's price in a version",
    "pricing.PriceChange": "S12 a price-list change and its approval",
    "pricing.PriceChangeLine": "S12 the prices a change proposed",
    "pricing.PriceAdjustment": "S13 a deviation from the list price and its approval",
    # The test suite's own regulated model (tests/regulated_app), installed in tests only.
    "regulated_app.SampleRecord": "the tests' model of a regulated record",
}

EXEMPT = {
    "contracts.SignedMonth": "derived figures, kept from the signed contracts (services/totals.py)",
    "analytics.SalesDay": "derived figures, rebuilt from the contracts by the refresh",
    "analytics.ServiceFact": "derived figures, rebuilt from the service requests",
    "analytics.ComplaintFact": "derived figures, rebuilt from the complaints",
    "analytics.PartDay": "derived figures, rebuilt from the replaced parts",
    "analytics.RefreshState": "when the derived figures were last refreshed",
    "core.IdempotencyRecord": "a 24-hour cache of API responses, purged by age",
    "core.DocumentSequence": "counters; the numbers live on the documents",
    "accounts.Region": "reference data (China's provinces and cities)",
    "accounts.Department": "organisation master data, edited in the admin with field diffs",
    "accounts.User": "deactivated, not deleted; every record points at users with PROTECT",
    "accounts.ApiToken": "credentials, revoked and kept; they hold no record",
    "notifications.Notification": "the outbox: messages about records, not records",
    "calendars.CalendarYear": "the work calendar: reference data, edits audited",
    "calendars.CalendarDay": "the work calendar: reference data, edits audited",
    "calendars.CalendarRevision": "a cache key for the work calendar",
    "catalog.Manufacturer": "master data; records point at it with PROTECT",
    "inventory.Part": "master data; moves and requisitions point at it with PROTECT",
    "inventory.Warehouse": "master data; locations and requisitions point at it with PROTECT",
    "inventory.Location": "master data; moves and balances point at it with PROTECT",
    "inventory.StockLevel": "planning figures, recomputed; changes by hand are audited",
    "catalog.Product": "master data; records point at it with PROTECT",
    "catalog.ProductModel": "master data; records point at it with PROTECT",
    "customers.Customer": "master data; records point at it with PROTECT",
    "customers.PortalAccount": "logins of customers' staff; withdrawn, changes audited",
    "customers.Contact": "personal data (PIPL): a person may ask for it to be erased",
    "customers.DevelopmentPlan": "sales planning, not a regulated record",
    "customers.Campaign": "sales planning, not a regulated record",
    "customers.Lead": "sales planning, not a regulated record",
    "customers.Activity": "sales diary, not a regulated record",
    "training.StaffProfile": "master data about staff",
    "training.Skill": "master data about staff",
    "pricing.PriceBasis": "pricing worksheet (cost, demand) behind a proposal",
    "pricing.CompetitorPrice": "market observations",
}


def protected_tables() -> dict[str, bool]:
    """{table: refuses updates too} for every regulated model installed."""
    from django.apps import apps

    tables = {}
    for label in (*APPEND_ONLY, *REGULATED):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        tables[model._meta.db_table] = label in APPEND_ONLY
    return tables
