package dev.vigil.core.parse;

import dev.vigil.core.LogType;

/** What became of one object. */
public record ParseSummary(LogType type, long documents, long rejected, long skipped) {}
