/**
 * The command line of the nn-core jar ({@code java -jar nn-core.jar}); start at {@link dev.nncore.cli.Main}.
 * Not exported by the module: it is a program, not API.
 */
package dev.nncore.cli;
