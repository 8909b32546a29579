package io.threadline.scenario;

/**
 * One result figure of a run: a name, a measured value and its unit ("ms", "x",
 * "updates"...).
 */
public record Figure(String name, double value, String unit) {
}
