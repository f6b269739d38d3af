"""The consult window's look: one palette, one stylesheet, and role-based styling helpers.

Widgets never set colours themselves; they carry a ``role`` property (``set_role``) and the
stylesheet below decides how each role looks, so the whole window changes in one place.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

BODY_PT = 12  # injector mode; "Larger text" switches to the larger size
LARGE_BODY_PT = 14
PATIENT_BODY_PT = 16  # patient mode: large type from the start, one step larger on request
PATIENT_LARGE_BODY_PT = 20
FIELD_HEIGHT = 36  # px: combo, date and number boxes line up with the text fields
# the least a window may need: a 1280 x 720 screen with a title bar and a taskbar
MIN_WINDOW = (1000, 640)
TITLE_BAR_PX = 32  # a window's title bar, outside its own height

INK = "#1b2a33"
MUTED = "#4a5b66"
BACKGROUND = "#f3f6f7"
SURFACE = "#ffffff"
BORDER = "#c9d3d8"
ACCENT = "#1f6f78"
ACCENT_DARK = "#15545b"
ACCENT_SOFT = "#e3f1f2"
FOCUS = "#0b63ce"
DANGER = "#a4261c"
DANGER_SOFT = "#fdecea"
WARNING = "#8a4b00"
WARNING_SOFT = "#fff4dc"
SUCCESS = "#19683a"
SUCCESS_SOFT = "#e7f5ec"
PAD_INK = "#14213d"
PAD_GUIDE = "#9aa8b1"  # the pad's baseline: a graphic, not text
FLAG_EDGE = "#d08a00"  # the amber edge of flagged cards: a graphic, not text
DISABLED_INK = "#4f5d66"
DISABLED_SURFACE = "#eef1f2"
DISABLED_PRIMARY = "#d3dbde"
SCRIM = "rgba(20, 33, 40, 0.62)"  # behind a PIN prompt: the window shows through, dimmed
WHITE = "#ffffff"

# Every text colour the stylesheet uses, on every background it is drawn on. The tests
# check each pair against WCAG AA (4.5:1) and that the stylesheet uses no other text colour.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    (INK, BACKGROUND, "body text"),
    (INK, SURFACE, "text on cards and fields"),
    (INK, ACCENT_SOFT, "the chosen step"),
    (MUTED, BACKGROUND, "muted and small text"),
    (MUTED, SURFACE, "muted text on cards"),
    (MUTED, ACCENT_SOFT, "muted text on an info banner"),
    (ACCENT_DARK, BACKGROUND, "headings"),
    (ACCENT_DARK, SURFACE, "buttons and links"),
    (ACCENT_DARK, ACCENT_SOFT, "info banners, hovered buttons"),
    (DANGER, SURFACE, "errors"),
    (DANGER, BACKGROUND, "errors on the page"),
    (DANGER, DANGER_SOFT, "hard-stop banners and badges"),
    (WARNING, WARNING_SOFT, "flag banners and badges"),
    (WARNING, SURFACE, "flag text on cards"),
    (SUCCESS, SUCCESS_SOFT, "success banners and badges"),
    (SUCCESS, SURFACE, "done marks"),
    (SUCCESS, BACKGROUND, "done marks on the page"),
    (WHITE, ACCENT, "primary buttons"),
    (WHITE, ACCENT_DARK, "hovered primary buttons"),
    (WHITE, FOCUS, "selected text"),
    (DISABLED_INK, DISABLED_SURFACE, "disabled buttons and fields"),
    (DISABLED_INK, DISABLED_PRIMARY, "a disabled primary button"),
    (DISABLED_INK, BACKGROUND, "disabled tick boxes"),
)


def stylesheet(body_pt: int = BODY_PT) -> str:
    """The window's stylesheet with body text at ``body_pt`` points."""
    small = body_pt - 1
    box = round(body_pt * 1.6)  # tick boxes grow with the text: easy to hit by touch too
    h1 = body_pt + 7
    h2 = body_pt + 3
    return f"""
QMainWindow, QWidget#page, QWidget#body, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {BACKGROUND};
}}
QWidget {{ color: {INK}; font-size: {body_pt}pt; }}
QToolTip {{ color: {INK}; background: {SURFACE}; border: 1px solid {BORDER}; }}

QLabel[role="h1"] {{ font-size: {h1}pt; font-weight: 600; color: {ACCENT_DARK}; }}
QLabel[role="h2"] {{ font-size: {h2}pt; font-weight: 600; padding-top: 6px; }}
QLabel[role="h3"] {{ font-weight: 600; }}
QLabel[role="intro"], QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="small"] {{ color: {MUTED}; font-size: {small}pt; }}
QLabel[role="error"] {{ color: {DANGER}; font-weight: 600; }}
QLabel[role="ok"] {{ color: {SUCCESS}; font-weight: 600; }}
QLabel[role="guidance"] {{
    color: {MUTED}; background: {BACKGROUND}; border-left: 3px solid {ACCENT};
    padding: 6px 10px; font-size: {small}pt;
}}
QLabel[role="mono"] {{ font-family: "DejaVu Sans Mono", monospace; }}
QLabel[role="badge-approved"], QLabel[role="badge-off-label"], QLabel[role="badge-none"],
QLabel[role="badge-flag"], QLabel[role="badge-stop"] {{
    border-radius: 9px; padding: 2px 10px; font-size: {small}pt; font-weight: 600;
}}
QLabel[role="badge-approved"] {{ color: {SUCCESS}; background: {SUCCESS_SOFT}; }}
QLabel[role="badge-off-label"], QLabel[role="badge-flag"] {{
    color: {WARNING}; background: {WARNING_SOFT};
}}
QLabel[role="badge-stop"] {{ color: {DANGER}; background: {DANGER_SOFT}; }}
QLabel[role="badge-none"] {{ color: {MUTED}; background: {BACKGROUND}; }}

QFrame[role="card"] {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px;
}}
QFrame[role="card-done"] {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-left: 5px solid {SUCCESS};
    border-radius: 8px;
}}
QFrame[role="card-flag"] {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-left: 5px solid {FLAG_EDGE};
    border-radius: 8px;
}}
QFrame[role="card-stop"] {{
    background: {SURFACE}; border: 2px solid {DANGER}; border-radius: 8px;
}}
QFrame#boxedWarning {{
    background: {SURFACE}; border: 2px solid {DANGER}; border-radius: 8px;
}}
QFrame#boxedWarning[role="card-done"] {{ border-left: 6px solid {SUCCESS}; }}
QLabel[role="boxed-tag"] {{ color: {DANGER}; font-weight: 700; }}
QFrame[role="banner-danger"] {{
    background: {DANGER_SOFT}; border: 2px solid {DANGER}; border-radius: 6px;
}}
QFrame[role="banner-warning"] {{
    background: {WARNING_SOFT}; border: 1px solid {FLAG_EDGE}; border-radius: 6px;
}}
QFrame[role="banner-info"] {{
    background: {ACCENT_SOFT}; border: 1px solid {ACCENT}; border-radius: 6px;
}}
QFrame[role="banner-success"] {{
    background: {SUCCESS_SOFT}; border: 1px solid {SUCCESS}; border-radius: 6px;
}}
QFrame[role="banner-danger"] QLabel {{ color: {DANGER}; background: transparent; }}
QFrame[role="banner-warning"] QLabel {{ color: {WARNING}; background: transparent; }}
QFrame[role="banner-info"] QLabel {{ color: {ACCENT_DARK}; background: transparent; }}
QFrame[role="banner-success"] QLabel {{ color: {SUCCESS}; background: transparent; }}

QFrame#bottomBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QFrame#bottomBar QLabel {{ background: transparent; }}

QLineEdit, QPlainTextEdit, QTextBrowser {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    padding: 5px 7px; selection-background-color: {ACCENT}; selection-color: {WHITE};
}}
QTextBrowser#answer {{ font-size: {body_pt + 2}pt; padding: 10px 14px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus {{
    border: 2px solid {FOCUS}; padding: 4px 6px;
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 2px solid {DANGER}; }}
QLineEdit:disabled, QPlainTextEdit:disabled {{
    background: {DISABLED_SURFACE}; color: {DISABLED_INK};
}}

QPushButton {{
    background: {SURFACE}; color: {ACCENT_DARK}; border: 1px solid {ACCENT};
    border-radius: 6px; padding: 7px 16px; min-height: 22px;
}}
QPushButton:hover {{ background: {ACCENT_SOFT}; }}
QPushButton:focus {{ border: 2px solid {FOCUS}; padding: 6px 15px; }}
QPushButton:disabled {{
    color: {DISABLED_INK}; border-color: {BORDER}; background: {DISABLED_SURFACE};
}}
QPushButton[role="primary"] {{ background: {ACCENT}; color: {WHITE}; font-weight: 600; }}
QPushButton[role="primary"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[role="primary"]:disabled {{
    background: {DISABLED_PRIMARY}; color: {DISABLED_INK}; border-color: {DISABLED_PRIMARY};
}}
QPushButton[role="link"] {{
    background: transparent; border: none; color: {ACCENT_DARK}; text-align: left;
    text-decoration: underline; padding: 1px 2px; min-height: 0;
}}
QPushButton[role="link"]:focus {{ border: 2px solid {FOCUS}; padding: 0px 1px; }}

QCheckBox, QRadioButton {{ spacing: 8px; padding: 3px; border: 2px solid transparent; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {FOCUS}; border-radius: 4px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {box}px; height: {box}px; }}
QCheckBox:disabled, QRadioButton:disabled {{ color: {DISABLED_INK}; }}

QListWidget#stepList {{
    background: {SURFACE}; border: none; border-right: 1px solid {BORDER};
    font-size: {body_pt + 1}pt; outline: none;
}}
QListWidget#stepList::item {{ padding: 10px 14px; border-left: 4px solid transparent; }}
QListWidget#stepList::item:selected {{
    background: {ACCENT_SOFT}; color: {INK}; border-left: 4px solid {ACCENT};
}}
QListWidget#stepList:focus {{ border: 2px solid {FOCUS}; }}

QTreeWidget {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px;
    selection-background-color: {ACCENT}; selection-color: {WHITE};
}}
QTreeWidget:focus {{ border: 2px solid {FOCUS}; }}
QTreeWidget::item {{ padding: 5px 2px; }}

QSplitter::handle {{ background: {BORDER}; }}
QToolBar {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; spacing: 6px; }}
QToolButton {{ padding: 5px 10px; border-radius: 4px; }}
QToolButton:hover {{ background: {ACCENT_SOFT}; }}
QToolButton:focus {{ border: 2px solid {FOCUS}; }}
QToolButton:checked {{ background: {ACCENT_SOFT}; border: 1px solid {ACCENT}; }}
QMessageBox QLabel {{ background: transparent; }}

QWidget[role="scrim"] {{ background: {SCRIM}; }}
QWidget[role="lock"] {{ background: {BACKGROUND}; }}
QFrame#patientTop {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}
QFrame#patientTop QLabel {{ background: transparent; }}
QListWidget#staffList {{
    background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 4px; outline: none;
}}
QListWidget#staffList::item {{ padding: 8px 10px; }}
QListWidget#staffList::item:selected {{
    background: {ACCENT_SOFT}; color: {INK}; border-left: 4px solid {ACCENT};
}}
QListWidget#staffList:focus {{ border: 2px solid {FOCUS}; }}
QWidget#pageHolder {{ background: {BORDER}; }}
QScrollArea#pageView {{ border: 2px solid transparent; }}
QScrollArea#pageView:focus {{ border: 2px solid {FOCUS}; }}
QLabel#documentPage {{ background: transparent; }}
QPushButton:checked {{
    background: {ACCENT_SOFT}; border: 2px solid {ACCENT}; padding: 6px 15px;
}}
"""


def apply(window: QWidget, body_pt: int = BODY_PT) -> None:
    """Style ``window`` and everything in it.

    Combo boxes, date and number boxes keep the platform style's own drawing (a stylesheet
    frame would make Qt drop their arrows); the palette gives their focus frame and
    selection the same colours as the rest.
    """
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(FOCUS))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(WHITE))
    palette.setColor(QPalette.ColorRole.Base, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    window.setPalette(palette)
    window.setStyleSheet(stylesheet(body_pt))


def fit_to_screen(window: QWidget, width: int = 1366, height: int = 768) -> None:
    """Size ``window`` for when it is not maximised: ``width`` x ``height`` at most, and
    never more than its screen's free area (a fixed 1366 x 768 ran off such a screen)."""
    screen = window.screen().availableGeometry()
    window.resize(max(min(width, screen.width()), window.minimumWidth()),
                  max(min(height, screen.height() - TITLE_BAR_PX), window.minimumHeight()))


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a styling role and re-apply the stylesheet to it at once."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    repolish(widget)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark an input as holding a value the model refused (red border)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a property the stylesheet selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
