"""The browser forms of the proposal pages."""

from courses.forms.design import (
    DesignRows,
    ParsedDesign,
    attach_problems,
    blank_rows,
    number_rows,
    parse,
    rows_from_data,
    rows_from_post,
)
from courses.forms.proposal import BasicsForm, ProposalForm

__all__ = [
    "BasicsForm",
    "DesignRows",
    "ParsedDesign",
    "ProposalForm",
    "attach_problems",
    "blank_rows",
    "number_rows",
    "parse",
    "rows_from_data",
    "rows_from_post",
]
