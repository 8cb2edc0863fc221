package dev.nncore.internal.hdf5;

import static dev.nncore.internal.hdf5.Hdf5FormatException.hex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group: named links to groups and datasets, plus attributes. Members are read when the group is opened;
 * the objects they point to are opened on demand. A group that (directly or through soft links) contains one of
 * its own ancestors is refused, so recursive walks always terminate.
 */
public final class Hdf5Group implements Hdf5Node {
    /** Soft links followed while resolving one path; bounds both chains and fan-out (a -> "b/b/b", b -> ...). */
    private static final int MAX_SOFT_LINKS_PER_LOOKUP = 32;

    private final FileContext ctx;
    private final Hdf5Group root;
    private final String path;
    private final List<Long> ancestry;
    private final Map<String, Messages.Link> links;
    private final Map<String, Hdf5Attribute> attributes;

    private Hdf5Group(FileContext ctx, Hdf5Group root, String path, List<Long> ancestry, Map<String, Messages.Link> links,
            Map<String, Hdf5Attribute> attributes) {
        this.ctx = ctx;
        this.root = root == null ? this : root;
        this.path = path;
        this.ancestry = ancestry;
        this.links = links;
        this.attributes = attributes;
    }

    static Hdf5Group openRoot(FileContext ctx) throws Hdf5FormatException {
        ObjectHeader header = ObjectHeader.read(ctx, ctx.rootAddress(), "/");
        if (!ObjectContents.isGroup(header)) {
            throw new Hdf5FormatException("root object at " + hex(ctx.rootAddress()) + " is not a group");
        }
        return create(ctx, null, "/", List.of(ctx.rootAddress()), header);
    }

    /** A group's parsed links and attributes, shared by every path that reaches it. */
    private record Contents(Map<String, Messages.Link> links, Map<String, Hdf5Attribute> attributes) {
    }

    private static Hdf5Group create(FileContext ctx, Hdf5Group root, String path, List<Long> ancestry,
            ObjectHeader header) throws Hdf5FormatException {
        Contents contents = contents(ctx, path, header);
        ctx.parsedObjects.put(header.address(), contents);
        return new Hdf5Group(ctx, root, path, ancestry, contents.links(), contents.attributes());
    }

    private static Contents contents(FileContext ctx, String path, ObjectHeader header) throws Hdf5FormatException {
        Map<String, Messages.Link> links = new LinkedHashMap<>();
        for (Messages.Link link : ObjectContents.links(ctx, header)) {
            ctx.parseSteps++;
            // such names could not be addressed by path, and "." would make a group its own member
            if (link.name().equals(".") || link.name().indexOf('/') >= 0) {
                throw new Hdf5FormatException("group " + path + " has a member with the invalid name '" + link.name()
                        + "'");
            }
            if (links.putIfAbsent(link.name(), link) != null) {
                throw new Hdf5FormatException("group " + path + " lists member '" + link.name() + "' twice");
            }
        }
        return new Contents(Collections.unmodifiableMap(links),
                Collections.unmodifiableMap(ObjectContents.attributes(ctx, header)));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Hdf5Attribute> attributes() {
        return attributes;
    }

    /** Names of the links in this group, in stored order. */
    public List<String> memberNames() {
        return List.copyOf(links.keySet());
    }

    /**
     * True if {@code relativePath} names an object that can be opened; like {@link #get(String)} it fails for a
     * link that cannot be followed (external, dangling soft link).
     */
    public boolean has(String relativePath) throws Hdf5FormatException {
        return get(relativePath).isPresent();
    }

    /**
     * The object at a slash-separated path relative to this group (a leading slash starts at the root).
     * Empty if a path element does not exist; an error for links that cannot be followed (external links,
     * dangling soft links) and for malformed objects.
     */
    public Optional<Hdf5Node> get(String relativePath) throws Hdf5FormatException {
        return Hdf5File.guard(() -> resolve(relativePath, new int[1]));
    }

    /** The group at {@code relativePath}; fails naming the path if it is missing or not a group. */
    public Hdf5Group group(String relativePath) throws Hdf5FormatException {
        Hdf5Node node = get(relativePath).orElseThrow(() -> missing(relativePath));
        if (node instanceof Hdf5Group g) {
            return g;
        }
        throw new Hdf5FormatException(node.path() + " is a dataset, not a group");
    }

    /** The dataset at {@code relativePath}; fails naming the path if it is missing or not a dataset. */
    public Hdf5Dataset dataset(String relativePath) throws Hdf5FormatException {
        Hdf5Node node = get(relativePath).orElseThrow(() -> missing(relativePath));
        if (node instanceof Hdf5Dataset d) {
            return d;
        }
        throw new Hdf5FormatException(node.path() + " is a group, not a dataset");
    }

    private Hdf5FormatException missing(String relativePath) {
        return new Hdf5FormatException("no object at " + join(relativePath.startsWith("/") ? "/" : path, relativePath));
    }

    private static String join(String parent, String child) {
        String c = child.startsWith("/") ? child.substring(1) : child;
        return parent.endsWith("/") ? parent + c : parent + "/" + c;
    }

    private Optional<Hdf5Node> resolve(String relativePath, int[] softLinks) throws Hdf5FormatException {
        Hdf5Group current = relativePath.startsWith("/") ? root : this;
        String[] parts = relativePath.split("/");
        List<String> names = new ArrayList<>();
        for (String p : parts) {
            if (!p.isEmpty() && !p.equals(".")) {
                names.add(p);
            }
        }
        if (names.isEmpty()) {
            return Optional.of(current);
        }
        for (int i = 0; i < names.size(); i++) {
            Optional<Hdf5Node> next = current.child(names.get(i), softLinks);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            if (i == names.size() - 1) {
                return next;
            }
            if (!(next.get() instanceof Hdf5Group g)) {
                return Optional.empty();
            }
            current = g;
        }
        throw new IllegalStateException("unreachable");
    }

    private Optional<Hdf5Node> child(String name, int[] softLinks) throws Hdf5FormatException {
        Messages.Link link = links.get(name);
        if (link == null) {
            return Optional.empty();
        }
        String childPath = join(path, name);
        switch (link.type()) {
            case Messages.Link.HARD:
                return Optional.of(open(link.address(), childPath));
            case Messages.Link.SOFT: {
                if (++softLinks[0] > MAX_SOFT_LINKS_PER_LOOKUP) {
                    throw new Hdf5FormatException("soft link " + childPath + ": more than " + MAX_SOFT_LINKS_PER_LOOKUP
                            + " soft links followed for one path (loop?)");
                }
                Optional<Hdf5Node> target = resolve(link.target(), softLinks);
                if (target.isEmpty()) {
                    throw new Hdf5FormatException("soft link " + childPath + " -> " + link.target()
                            + " points to nothing");
                }
                return Optional.of(open(addressOf(target.get()), childPath));
            }
            case Messages.Link.EXTERNAL:
                throw new Hdf5FormatException("external link " + childPath + " -> " + link.target()
                        + " is not supported");
            default:
                throw new Hdf5FormatException("link " + childPath + " has unsupported link type " + link.type());
        }
    }

    long address() {
        return ancestry.get(ancestry.size() - 1);
    }

    private static long addressOf(Hdf5Node node) {
        return node instanceof Hdf5Group g ? g.address() : ((Hdf5Dataset) node).address();
    }

    private Hdf5Node open(long address, String childPath) throws Hdf5FormatException {
        if (ancestry.contains(address)) {
            throw new Hdf5FormatException("group cycle: " + childPath + " (object header " + hex(address)
                    + ") is one of its own ancestors");
        }
        if (ancestry.size() >= FileContext.MAX_DEPTH) {
            throw new Hdf5FormatException(childPath + ": groups nested more than " + FileContext.MAX_DEPTH + " deep");
        }
        Object parsed = ctx.parsedObjects.get(address);
        if (parsed instanceof Contents contents) {
            return new Hdf5Group(ctx, root, childPath, extended(address), contents.links(), contents.attributes());
        }
        if (parsed instanceof Hdf5Dataset dataset) {
            return dataset.at(childPath);
        }
        ObjectHeader header = ObjectHeader.read(ctx, address, childPath);
        if (ObjectContents.isGroup(header)) {
            List<Long> childAncestry = new ArrayList<>(ancestry);
            childAncestry.add(address);
            return create(ctx, root, childPath, List.copyOf(childAncestry), header);
        }
        if (header.has(ObjectHeader.LAYOUT)) {
            Hdf5Dataset dataset = Hdf5Dataset.open(ctx, header, childPath);
            ctx.parsedObjects.put(address, dataset);
            return dataset;
        }
        if (header.has(ObjectHeader.DATATYPE)) {
            throw new Hdf5FormatException(childPath + " is a committed datatype, which is not supported as a member");
        }
        throw new Hdf5FormatException(childPath + " (object header " + hex(address)
                + ") is neither a group nor a dataset");
    }

    private List<Long> extended(long address) {
        List<Long> childAncestry = new ArrayList<>(ancestry);
        childAncestry.add(address);
        return List.copyOf(childAncestry);
    }

    @Override
    public String toString() {
        return "Hdf5Group[" + path + "]";
    }
}
