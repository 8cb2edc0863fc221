/**
 * Data for training: {@link dev.nncore.data.CsvReader} reads a CSV file (RFC 4180, header, delimiter, BOM, label
 * columns as classes or numbers, categorical features, missing values) into a {@link dev.nncore.data.Dataset} of
 * features and targets; {@link dev.nncore.data.Splits} divides it into seeded train/test splits and k folds, plain or
 * stratified by class.
 *
 * <p>Start with {@link dev.nncore.data.CsvReader#builder()}:
 * <pre>{@code
 * Dataset data = CsvReader.builder().label("species").build().read(Path.of("iris.csv"));
 * Split split = Splits.stratified(data, 0.2, 42);
 * }</pre>
 * Uses only the root package's types and {@link dev.nncore.math.Matrix}; no dependencies.
 */
package dev.nncore.data;
