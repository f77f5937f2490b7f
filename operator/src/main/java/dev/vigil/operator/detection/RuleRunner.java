package dev.vigil.operator.detection;

/** Runs one rule once ({@link BuiltInEngine} in the operator); the schedule's only dependency. */
@FunctionalInterface
public interface RuleRunner {
  RunOutcome run(ScheduledRule rule);
}
