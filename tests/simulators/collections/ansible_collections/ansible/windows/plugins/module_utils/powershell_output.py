# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIMULATOR (tests only): how ansible.windows.win_powershell turns what a script
writes into the module's ``output``, ported from the real module.

Source (WINPS): ansible.windows ``plugins/modules/win_powershell.ps1`` at tag 3.3.0
(1ceaff6aefc72c4dea09fa53d7c6d79f2a944a98, the version the ``ansible`` 12 package
bundles; the function is unchanged at 3.7.0, lines 443-575 there):

- ``Convert-OutputObject``, lines 286-418, applied to the list of everything the
  script wrote with the module's ``depth`` option (default 2, line 21) at line 907:
  ``$module.Result.output = Convert-OutputObject -InputObject $psOutput -Depth $module.Params.depth``.
  The output list itself is one level: the objects the script wrote are converted
  at ``depth - 1``, their properties at ``depth - 2``, and so on.

There is no PowerShell here, so the values a script writes are modelled by Python
values standing for the .NET types (:class:`PSCustomObject`, :class:`PSList`,
:class:`Hashtable`, :class:`PSEnum`, :class:`PSType`; ``str``, ``bool``, ``int``,
``float`` are the value types and strings; ``None`` is ``$null``). :func:`convert`
follows the function branch by branch; :func:`ps_string` is PowerShell's
``[string]`` cast, which the function applies to anything deeper than ``depth``
(line 388), in the forms upstream's own integration test asserts
(``tests/integration/targets/win_powershell/tasks/tests.yml`` at 3.3.0, lines 169-201
and 242-246): a Hashtable is ``System.Collections.Hashtable``, a type its
FullName, an array its elements' strings joined with a space (a nested array is
``System.Object[]``), a PSCustomObject ``@{Name=value; ...}``.

Not modelled (the collection's read never writes them, and the stand-in refuses
a script that is not the read): DateTime/DateTimeOffset (lines 337-349), switch
parameters (375-377), ETS note properties on a dictionary (396-410: keys replace
properties of the same name).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict


class PSCustomObject(OrderedDict):
    """``[PSCustomObject]@{...}``: properties in order (the ``else`` branch,
    lines 412-418: every property, converted at ``depth - 1``)."""


class Hashtable(dict):
    """``@{...}``: an IDictionary (lines 396-410)."""


class PSList(list):
    """``@(...)``, an ``Object[]``: an IList (lines 391-395)."""


class PSEnum(object):
    """A .NET enum value, e.g. ``[IO.FileAccess]::Read``."""

    def __init__(self, type_name, string, value):
        self.type_name, self.string, self.value = type_name, string, value


class PSType(object):
    """A ``[Type]`` object, e.g. ``[string]``: Name, FullName and BaseType."""

    def __init__(self, name, full_name, base=None, assembly=""):
        self.name, self.full_name, self.base, self.assembly = name, full_name, base, assembly


class DotNetObject(object):
    """Any other .NET object (e.g. what ``Get-Item`` returns): its properties, and
    the text its ToString() gives (the ``[string]`` of it below depth 0)."""

    def __init__(self, text, properties=None):
        self.text, self.properties = text, OrderedDict(properties or ())


OBJECT_TYPE = PSType("Object", "System.Object", None, "mscorlib")
STRING_TYPE = PSType("String", "System.String", OBJECT_TYPE, "mscorlib")


def ps_string(value):
    """PowerShell's ``[string]$value`` (LanguagePrimitives.ConvertTo string):
    $null is '', a bool 'True'/'False', an array its elements joined with $OFS (a
    space) where a nested array is its type name, a Hashtable its type name, a
    PSCustomObject '@{Name=value; ...}'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return value
    if isinstance(value, PSEnum):
        return value.string
    if isinstance(value, PSType):
        return value.full_name
    if isinstance(value, DotNetObject):
        return value.text
    if isinstance(value, (list, tuple)):
        return " ".join(_element_string(v) for v in value)
    if isinstance(value, PSCustomObject):
        return "@{%s}" % "; ".join("%s=%s" % (k, _element_string(v)) for k, v in value.items())
    if isinstance(value, dict):
        return "System.Collections.Hashtable"
    return str(value)


def _element_string(value):
    # Inside an array or a PSCustomObject's string, an element is its ToString():
    # an array there is its type name, not its elements (tests.yml line 245,
    # 'squashed System.Object[]').
    if isinstance(value, (list, tuple)):
        return "System.Object[]"
    return ps_string(value)


def convert(value, depth):
    """``Convert-OutputObject -InputObject value -Depth depth`` (WINPS 286-418)."""
    child = depth - 1                                                       # line 311
    if value is None:                                                       # 325-327
        return None
    if isinstance(value, PSEnum) and depth >= 0:                            # 328-336
        return {"Type": value.type_name, "String": value.string, "Value": value.value}
    if isinstance(value, PSType):                                           # 351-370
        if depth < 0:
            return value.full_name
        return {"Name": value.name, "FullName": value.full_name,
                "AssemblyQualifiedName": "%s, %s" % (value.full_name, value.assembly),
                "BaseType": convert(value.base, child) if value.base is not None else None}
    if isinstance(value, str):                                              # 371-374
        return value
    if isinstance(value, (bool, int, float)):                               # 383-386: value types as they are
        return value
    if isinstance(value, PSEnum):                                           # an enum below depth 0: its value
        return value.value
    if depth < 0:                                                           # 387-390
        return ps_string(value)
    if isinstance(value, (list, tuple)):                                    # 391-395
        return [convert(v, child) for v in value]
    if isinstance(value, dict) and not isinstance(value, PSCustomObject):   # 396-410
        return dict((k, convert(v, child)) for k, v in value.items())
    if isinstance(value, DotNetObject):
        value = value.properties
    return dict((k, convert(v, child)) for k, v in value.items())           # 412-418


def convert_output(written, depth=2):
    """The module's ``output`` for the objects a script wrote (WINPS line 907): the
    list of them, converted at ``depth``."""
    return convert(PSList(written), depth)
