"""What the commands do beyond replay, each a module: diff (``compare``, with ``reported``
for reports read back), ``fit``, ``sweep``, ``explain``, ``timeline``, ``report`` and
``validate``. They build on the engine, transcripts and corpus work; rendering to text is in
``render``.
"""
