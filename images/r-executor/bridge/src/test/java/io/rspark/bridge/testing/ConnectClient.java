package io.rspark.bridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.commons.ClassRemapper;
import org.apache.xbean.asm9.commons.Remapper;

/**
 * Spark's JVM Spark Connect client, as a user runs it, in a class loader of its own: the client has
 * its own {@code org.apache.spark.sql.SparkSession}, which must not meet spark-sql's on the test
 * class path. Its dependencies (sql-api, Scala, Arrow, Jackson) come from the test SPARK_HOME;
 * Spark's server-side modules stay out.
 */
public final class ConnectClient implements AutoCloseable {
  private static final Pattern SERVER_SIDE =
      Pattern.compile(
          "spark-(core|sql|catalyst|connect|kubernetes|hive|mllib|graphx|streaming)_.*\\.jar");

  /**
   * One loader for the test JVM: loading (and relocating) the client's classes takes seconds, and
   * gRPC's channel threads still load classes after a session closed.
   */
  private static URLClassLoader shared;

  private final ClassLoader loader;
  private final Object session;

  private ConnectClient(ClassLoader loader, Object session) {
    this.loader = loader;
    this.session = session;
  }

  /** The path of the client jar copied by the pre-integration-test phase. */
  public static Path clientJar() {
    Path jar =
        Path.of(
            System.getProperty(
                "rspark.connect.client.jar", "target/connect-client/spark-connect-client-jvm.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the Spark Connect client jar " + jar + " is missing");
    }
    return jar;
  }

  /** {@code SparkSession.builder().remote(url).create()}: a new session of the server's. */
  public static ConnectClient connect(String url) throws Exception {
    ClassLoader loader = loader();
    Object session =
        inLoader(
            loader,
            () -> {
              Class<?> sessions = loader.loadClass("org.apache.spark.sql.SparkSession");
              Object builder = sessions.getMethod("builder").invoke(null);
              builder = call(builder, "remote", url);
              return call(builder, "create");
            });
    return new ConnectClient(loader, session);
  }

  private static synchronized ClassLoader loader() throws IOException {
    if (shared == null) {
      shared = classLoader();
    }
    return shared;
  }

  /** Runs {@code sql} and returns the first column of the first row as a long. */
  public long sqlLong(String sql) throws Exception {
    return inLoader(
        loader,
        () -> {
          Object dataset = call(session, "sql", sql);
          List<?> rows = (List<?>) call(dataset, "collectAsList");
          Object row = rows.get(0);
          return (Long) row.getClass().getMethod("getLong", int.class).invoke(row, 0);
        });
  }

  /** A configuration value of the session, as the server answers it. */
  public String conf(String key) throws Exception {
    return inLoader(loader, () -> (String) call(call(session, "conf"), "get", key));
  }

  @Override
  public void close() throws IOException {
    try {
      inLoader(loader, () -> call(session, "close"));
    } catch (Exception e) {
      throw new IOException("closing the Spark Connect session failed", e);
    }
  }

  private static URLClassLoader classLoader() throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(url(clientJar()));
    // Jars the client needs beside it that the SPARK_HOME does not hold (Spark 4's
    // spark-connect-shims), copied next to it by the module.
    try (Stream<Path> jars = Files.list(clientJar().getParent())) {
      for (Path jar : jars.sorted().toList()) {
        if (jar.toString().endsWith(".jar") && !jar.equals(clientJar())) {
          urls.add(url(jar));
        }
      }
    }
    try (Stream<Path> jars = Files.list(Prerequisites.sparkHome().resolve("jars"))) {
      for (Path jar : jars.sorted().toList()) {
        if (!SERVER_SIDE.matcher(jar.getFileName().toString()).matches()) {
          urls.add(url(jar));
        }
      }
    }
    // Only Spark 3.5.0's client needs classes relocated at run time; later ones carry them.
    List<URL> originals = new ArrayList<>();
    Path relocate = clientJar().resolveSibling("relocate");
    if (Files.isDirectory(relocate)) {
      try (Stream<Path> jars = Files.list(relocate)) {
        jars.sorted().forEach(jar -> originals.add(url(jar)));
      }
    }
    return new RelocatingLoader(urls.toArray(URL[]::new), originals.toArray(URL[]::new));
  }

  /** Defines a missing relocated class from its original, with its references relocated too. */
  private static final class RelocatingLoader extends URLClassLoader {
    private static final String SHADED = "org/sparkproject/connect/client/";
    private static final List<String> RELOCATED =
        List.of("com/google/protobuf/", "com/google/common/", "com/google/thirdparty/");

    private final URLClassLoader originals;
    private final Remapper relocation =
        new Remapper() {
          @Override
          public String map(String internalName) {
            for (String prefix : RELOCATED) {
              if (internalName.startsWith(prefix)) {
                return SHADED + internalName;
              }
            }
            return internalName;
          }
        };

    RelocatingLoader(URL[] urls, URL[] originalJars) {
      super("spark-connect-client", urls, ClassLoader.getPlatformClassLoader());
      originals = new URLClassLoader(originalJars, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      try {
        return super.findClass(name);
      } catch (ClassNotFoundException e) {
        String internal = name.replace('.', '/');
        if (!internal.startsWith(SHADED)) {
          throw e;
        }
        String original = internal.substring(SHADED.length());
        if (RELOCATED.stream().noneMatch(original::startsWith)) {
          throw e;
        }
        try (InputStream in = originals.getResourceAsStream(original + ".class")) {
          if (in == null) {
            throw e;
          }
          ClassWriter out = new ClassWriter(0);
          new ClassReader(in).accept(new ClassRemapper(out, relocation), 0);
          byte[] bytes = out.toByteArray();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException io) {
          throw new ClassNotFoundException(name, io);
        }
      }
    }

    @Override
    public void close() throws IOException {
      try {
        originals.close();
      } finally {
        super.close();
      }
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Object call(Object target, String method, Object... args) throws Exception {
    for (var m : target.getClass().getMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length) {
        Class<?>[] types = m.getParameterTypes();
        boolean fits = true;
        for (int i = 0; i < args.length; i++) {
          fits &= types[i].isInstance(args[i]);
        }
        if (fits) {
          try {
            return m.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
          }
        }
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + "." + method);
  }

  /** Runs with the client's loader as the context class loader (gRPC and Arrow look there). */
  private static <T> T inLoader(ClassLoader loader, Callable<T> action) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.call();
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
