package dev.nncore.cli;

/** The command line is wrong (unknown option, missing or malformed value): exit {@value Main#EXIT_USAGE}. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
