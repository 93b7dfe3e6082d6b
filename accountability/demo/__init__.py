"""The fictional demo case, as data: `accountability demo` and `serve --demo` import it
through the same interchange import as any file."""

from accountability.demo.case import demo_document

__all__ = ["demo_document"]
