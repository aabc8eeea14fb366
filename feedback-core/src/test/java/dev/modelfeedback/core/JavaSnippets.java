package dev.modelfeedback.core;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Java snippets of the documentation, compiled as a reader would paste them: each
 * {@code ```java} block of a Markdown file, its imports first, then either whole type declarations
 * or statements (which go into a method of a class of their own). A block whose fence says
 * {@code ```java spring} or {@code ```java tomcat} needs Spring Boot or embedded Tomcat and is
 * compiled by the starter's tests; the others by the examples' tests, whose classpath holds every
 * other module (Jetty among them).
 *
 * <p>For tests; not thread-safe.
 */
public final class JavaSnippets {

    /**
     * One block.
     *
     * @param file the Markdown file
     * @param line the line of its opening fence
     * @param tag what follows {@code java} in the fence ({@code spring}, {@code tomcat}), or empty
     * @param code the block's text
     */
    public record Snippet(Path file, int line, String tag, String code) {

        @Override
        public String toString() {
            return file.getFileName() + ":" + line;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```java(?: +([a-z]+))?$");
    private static final Pattern TYPE_START = Pattern.compile(
            "^(@[A-Za-z]+|(public |final |abstract )*(class|record|interface|enum) )");

    private JavaSnippets() {
    }

    /**
     * The Java blocks of a Markdown file.
     *
     * @param markdown the file
     * @return its blocks, in order
     */
    public static List<Snippet> of(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            snippets.add(new Snippet(markdown, start + 1, fence.group(1) == null ? "" : fence.group(1),
                    code.toString()));
        }
        return snippets;
    }

    /**
     * Compiles each snippet in a package of its own against this JVM's test classpath.
     *
     * @param snippets the snippets
     * @param output where the classes go
     * @return the compiler's diagnostics, each naming the snippet; empty if all compiled
     */
    public static String compile(List<Snippet> snippets, Path output) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Snippet snippet : snippets) {
            sources.addAll(sources(snippet));
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter diagnostics = new StringWriter();
        boolean compiled = compiler.getTask(diagnostics, null, null,
                List.of("-proc:none", "-classpath", classpath, "-d", output.toString()), null, sources).call();
        return compiled ? "" : diagnostics.toString();
    }

    /** The compilation units of one snippet: its types as written, or its statements in a method. */
    static List<JavaFileObject> sources(Snippet snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.code().split("\n", -1)) {
            if (body.length() == 0 && (line.startsWith("import ") || line.isBlank())) {
                imports.append(line).append('\n');
            } else {
                body.append(line).append('\n');
            }
        }
        String pkg = "snippets." + snippet.file().getFileName().toString().replaceAll("[^A-Za-z0-9]", "_")
                .toLowerCase(Locale.ROOT) + ".line" + snippet.line();
        String header = "package " + pkg + ";\n" + imports;
        if (TYPE_START.matcher(body).find()) {
            Matcher name = Pattern.compile("(?:class|record|interface|enum) ([A-Za-z0-9_]+)").matcher(body);
            if (!name.find()) {
                throw new IllegalArgumentException(snippet + ": a type declaration without a name");
            }
            return List.of(source(pkg, name.group(1), header + body));
        }
        return List.of(source(pkg, "Snippet", header + "class Snippet {\n    void run() throws Exception {\n"
                + body + "    }\n}\n"));
    }

    private static JavaFileObject source(String pkg, String type, String code) {
        URI uri = URI.create("string:///" + pkg.replace('.', '/') + "/" + type + JavaFileObject.Kind.SOURCE.extension);
        return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
