"""Kept for the readers that import it (actions/lib/generate.py): YAML is now read by the `yaml`
package GitHub's workflow parser uses, through gh.py."""
from .gh import YamlError, load, load_file

__all__ = ["YamlError", "load", "load_file"]
