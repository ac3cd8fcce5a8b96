"""Raw reads of a program's rows, for the services only.

These functions take no principal and apply no rule: no visibility, no status, no
"overdue" or "answered". They turn rows into frames and plain values. Two kinds of
callers use them: the read layer (:mod:`engagement.services.view`), which reads a
program in one transaction and applies what each reader may see, and the write
services, inside their own transactions. The interface and the command line never
import them (``tests/integration/test_read_layer.py``): every public read of
``engagement.services`` takes the acting principal.
"""
