package dev.nncore.cli;

/**
 * A command could not do its work because of a file (missing, unreadable, malformed, unsupported, not writable):
 * exit {@value Main#EXIT_FAILURE}.
 */
final class CommandFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
