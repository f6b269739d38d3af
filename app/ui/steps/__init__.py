"""The consult's step pages, in the order the consult goes through them."""

from app.ui.steps.base import StepPage
from app.ui.steps.done_step import DoneStep
from app.ui.steps.faq_step import FaqStep
from app.ui.steps.patient_step import PatientStep
from app.ui.steps.plan_step import PlanStep
from app.ui.steps.plan_summary_step import PlanSummaryStep
from app.ui.steps.review_step import ReviewStep
from app.ui.steps.risks_step import RisksStep
from app.ui.steps.screening_step import ScreeningStep
from app.ui.steps.signature_step import SignatureStep

STEP_PAGES: tuple[type[StepPage], ...] = (
    PatientStep, ScreeningStep, PlanStep, FaqStep, RisksStep, ReviewStep, SignatureStep,
    DoneStep)

__all__ = ["STEP_PAGES", "RisksStep", "DoneStep", "FaqStep", "PatientStep", "PlanStep",
           "PlanSummaryStep", "ReviewStep", "ScreeningStep", "SignatureStep", "StepPage"]
