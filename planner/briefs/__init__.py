"""The campaign brief, rendered from the jinja2 templates in ``templates/`` as Markdown, HTML or
PDF, and the record of every brief exported.

User text is data, never markup or template code. Templates run in jinja2's immutable sandbox,
and every value a template writes is made literal for its format on the way out (escaped
Markdown, escaped HTML); only what the building blocks produce is written as markup. A template
is read only from inside its folder (a link that leads out of it is refused), and a rendering
that runs longer than ``render.RENDER_SECONDS`` is stopped.

The modules:

- ``facts``: the figures a brief shows, derived from the campaign (timeline, budget, reviews);
- ``sandbox``: the sandbox a template runs in, its limits, and its errors in a sentence;
- ``render``: the templates rendered as Markdown or HTML, campaign text made literal;
- ``pdf``: the HTML printed to PDF by WeasyPrint, when it is installed;
- ``templates``: a consultant's own template folder, chosen and checked, and a copy to brand;
- ``export``: a brief written to a file or standard output and recorded in its history.
"""

from planner.briefs.export import (
    BriefSource,
    RenderedBrief,
    default_file_name,
    export_brief,
    export_history,
    export_staged,
    export_to_stream,
    file_state,
    format_for_path,
    load_brief,
    render_brief,
)
from planner.briefs.pdf import PDF_HELP, html_to_pdf, pdf_available
from planner.briefs.render import (
    SECTIONS,
    md_cell,
    md_text,
    render_document,
    render_html,
    render_markdown,
    render_text,
)
from planner.briefs.templates import (
    TEMPLATE_DIR_SETTING,
    TEMPLATE_FILES,
    copy_templates,
    save_template_dir,
    saved_template_dir,
)

__all__ = [
    "PDF_HELP",
    "SECTIONS",
    "TEMPLATE_DIR_SETTING",
    "TEMPLATE_FILES",
    "BriefSource",
    "RenderedBrief",
    "copy_templates",
    "default_file_name",
    "export_brief",
    "export_history",
    "export_staged",
    "export_to_stream",
    "file_state",
    "format_for_path",
    "html_to_pdf",
    "load_brief",
    "md_cell",
    "md_text",
    "pdf_available",
    "render_brief",
    "render_document",
    "render_html",
    "render_markdown",
    "render_text",
    "save_template_dir",
    "saved_template_dir",
]
