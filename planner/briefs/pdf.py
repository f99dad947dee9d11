"""The brief as PDF: its HTML printed by WeasyPrint, an optional dependency loaded only when a
PDF is asked for.
"""

from __future__ import annotations

import logging

from planner.domain.errors import PlannerError

PDF_HELP = (
    "PDF briefs need WeasyPrint, which is not installed; install it with "
    "pip install 'healthcare-campaign-planner[pdf]' (or pip install '.[pdf]' in a checkout). "
    "Markdown and HTML briefs work without it."
)


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF with WeasyPrint; nothing outside the document is fetched."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError:
        raise PlannerError(PDF_HELP) from None
    except OSError as exc:
        raise PlannerError(
            "WeasyPrint is installed but cannot load the Pango text library it needs "
            f"({exc}); install Pango (on Debian or Ubuntu: apt install libpango-1.0-0 "
            "libpangoft2-1.0-0), or export Markdown or HTML instead."
        ) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_available() -> bool:
    """Whether WeasyPrint is installed (found without importing it, which takes a second)."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None
