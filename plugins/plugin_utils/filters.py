# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the collection's filter plugins (controller side only)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.errors import AnsibleFilterError


def wrap(func, errors):
    """``func`` with the input errors ``errors`` turned into AnsibleFilterError.

    The logic in module_utils raises plain ValueError subclasses whose message names
    the variable and what was expected; a filter raising AnsibleFilterError makes
    that message the task's failure.
    """
    @functools.wraps(func)
    def inner(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except errors as exc:
            raise AnsibleFilterError(str(exc))
    return inner
