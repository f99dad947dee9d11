"""Any spreadsheet saved as CSV: its columns mapped by the user.

The column names it recognises unmapped, in English, then Italian, Spanish and German.
"""

from __future__ import annotations

from planner.imports.formats.format import Format

GENERIC = Format(
    key="generic",
    title="Spreadsheet (columns mapped by you)",
    # English names first, then Italian, Spanish and German ones.
    defaults={
        "date": ("Date", "Day", "End date", "Period end", "To", "Data", "Datum", "Fecha"),
        "start": ("Start date", "Period start", "From", "Data inizio", "Fecha inicio"),
        "amount": (
            "Amount",
            "Cost",
            "Costs",
            "Spend",
            "Spent",
            "Amount spent",
            "Importo",
            "Costo",
            "Spesa",
            "Importe",
            "Coste",
            "Gasto",
            "Betrag",
        ),
        "currency": ("Currency", "Currency code", "Valuta", "Moneda"),
        "channel": ("Channel", "Canale", "Canal", "Medium"),
        "vendor": ("Vendor", "Supplier", "Payee", "Fornitore", "Proveedor"),
        "activity": ("Activity", "Attività", "Actividad", "Campaign"),
        "note": (
            "Note",
            "Notes",
            "Description",
            "Descrizione",
            "Descripción",
            "Concepto",
            "Notas",
            "Memo",
            "Details",
        ),
        "measure": ("Measure", "Metric", "KPI", "Indicator", "Indicatore", "Indicador"),
        "value": ("Value", "Valore", "Valor", "Result", "Figure"),
    },
)
