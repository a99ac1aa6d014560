"""Type stubs of the extension module (crates/briefkit-python/src/lib.rs).
The public API is `briefkit` (python/briefkit/__init__.py)."""

from typing import List, Optional, Sequence, Tuple

VERSION: str

class NativePackError(Exception):
    """args: (text as the command line prints it, JSON list of findings)."""

class Pack:
    @staticmethod
    def open(path: str, today: int) -> "Pack": ...
    @staticmethod
    def from_files(name: str, files: Sequence[Tuple[str, bytes]], today: int) -> "Pack": ...
    @property
    def name(self) -> str: ...
    @property
    def keys(self) -> Optional[List[str]]: ...
    def display(self) -> str: ...
    def default_out_dir(self) -> str: ...

class Kit:
    def __init__(
        self,
        formats: List[str],
        templates: Optional[str],
        reference_docx: Optional[bytes],
        pdf_standards: Optional[List[str]],
        font_paths: List[str],
        system_fonts: bool,
        every_finding: bool,
        threads: int,
    ) -> None: ...
    def render(
        self, pack: Pack, key: Optional[str]
    ) -> Tuple[List[Tuple[str, str, bytes, Optional[int], str]], str]: ...
    def write_all(
        self, pack: Pack, keys: List[Optional[str]], out: str
    ) -> List[
        Tuple[
            Optional[str],
            Optional[List[Tuple[str, str, int, Optional[int], str]]],
            str,
            Optional[Tuple[str, str]],
        ]
    ]: ...
    def check(self, pack: Pack, key: Optional[str]) -> str: ...

def toml_from_json(json: str) -> str: ...
def formats() -> List[str]: ...
def write_file(path: str, bytes: bytes) -> None: ...
def verify(bytes: bytes) -> str: ...
