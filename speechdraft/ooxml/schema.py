"""The WordprocessingML vocabulary: namespaces, relationship types, the child order Word
enforces, and the two edits every formatting step makes (find-or-create a child in schema
order, set ``w:`` attributes)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_SETTINGS = _RT + "settings"
RT_FONT_TABLE = _RT + "fontTable"
RT_FOOTER = _RT + "footer"
RT_HEADER = _RT + "header"
RT_ATTACHED_TEMPLATE = _RT + "attachedTemplate"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

# Parts come from an office's upload: no entities, no network.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def w(tag: str) -> str:
    """The Clark name of ``w:tag``."""
    return f"{{{W_NS}}}{tag}"


# Child order that Word enforces (ECMA-376 sequences), for inserting into existing elements.
STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
SECTPR_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
).split()
# w:settings up to w:trackRevisions: everything else an office's settings hold comes after it.
SETTINGS_ORDER = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
    "activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter "
    "stylePaneSortMethod documentType mailMerge revisionView trackRevisions"
).split()
DOC_DEFAULTS_ORDER = ["rPrDefault", "pPrDefault"]
STYLES_ORDER = ["docDefaults", "latentStyles", "style"]


def child(parent: etree._Element, tag: str, order: Sequence[str]) -> etree._Element:
    """The ``w:tag`` child of ``parent``, created in schema order if missing."""
    found = parent.find(w(tag))
    if found is not None:
        return found
    rank = order.index(tag) if tag in order else len(order)
    element = parent.makeelement(w(tag), {})
    for index, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue
        local = etree.QName(sibling).localname
        if (order.index(local) if local in order else len(order)) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def set_attrs(element: etree._Element, **attrs: str | int) -> None:
    """Set ``w:key="value"`` for every keyword."""
    for key, value in attrs.items():
        element.set(w(key), str(value))
