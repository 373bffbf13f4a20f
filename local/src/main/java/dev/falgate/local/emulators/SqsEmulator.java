package dev.falgate.local.emulators;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.http.scaladsl.Http;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Either;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * ElasticMQ behind its SQS REST/JSON API. With a data directory, queues and their messages are
 * kept in an H2 database there ({@code elasticmq-persistence-sql}, what ElasticMQ's own server
 * calls {@code messages-storage}) and restored on start, before any client can talk to it.
 *
 * <p>This wires the same actors as ElasticMQ's {@code ElasticMQServer}, which cannot be used
 * as is: it hides the bound port (tests use port 0) and restores asynchronously.
 */
public final class SqsEmulator implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a stop lets requests in flight finish. ElasticMQ's own stop allows a minute, which
     * a receive waiting 20 s (the local pollers', as Lambda's) would take; those are cut instead.
     */
    private static final FiniteDuration STOP_DEADLINE = FiniteDuration.apply(1, TimeUnit.SECONDS);
    /** The H2 store sits behind scalikejdbc's JVM-wide pool: one persistent emulator at a time. */
    private static final AtomicBoolean PERSISTENT_RUNNING = new AtomicBoolean();

    private final ActorSystem system;
    private final Http.ServerBinding binding;
    private final URI endpoint;
    private final boolean persistent;

    private SqsEmulator(ActorSystem system, SQSRestServer server, boolean persistent) {
        this.system = system;
        this.binding = server.waitUntilStarted();
        this.persistent = persistent;
        this.endpoint = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
    }

    /** Port 0: a free one. {@code dataDir} null: queues live in memory only. */
    public static SqsEmulator start(int port, Path dataDir, String region, String accountId) {
        if (dataDir != null && !PERSISTENT_RUNNING.compareAndSet(false, true)) {
            throw new IllegalStateException("another stack with a state directory runs in this JVM; "
                    + "ElasticMQ's message store allows one at a time");
        }
        ActorSystem system = ActorSystem.create("falgate-sqs", ConfigFactory.parseString(
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off").withFallback(ConfigFactory.load()));
        try {
            Optional<ActorRef> store = Optional.ofNullable(dataDir).map(dir -> persistence(system, dir));
            Option<ActorRef> listener = Option.apply(store.orElse(null));
            ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                    StrictSQSLimits$.MODULE$, listener));
            store.ifPresent(s -> restore(s, queueManager));
            SQSRestServer server = SQSRestServerBuilder.withActorSystem(system)
                    .withQueueManagerActor(queueManager)
                    .withInterface("127.0.0.1")
                    .withPort(port)
                    .withAWSRegion(region)
                    .withAWSAccountId(accountId)
                    .start();
            return new SqsEmulator(system, server, store.isPresent());
        } catch (RuntimeException e) {
            terminate(system);
            if (dataDir != null) {
                releaseDatabase();
            }
            throw PortInUseException.startFailure("ElasticMQ", port, e);
        }
    }

    private static ActorRef persistence(ActorSystem system, Path dir) {
        DynamoDbEmulator.createDirectories(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("elasticmq") + ";DB_CLOSE_ON_EXIT=FALSE";
        useDatabase(url);
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        return system.actorOf(Props.create(SqlQueuePersistenceActor.class, config, List$.MODULE$.empty()));
    }

    /**
     * ElasticMQ's {@code DB} opens scalikejdbc's JVM-wide pool only once per JVM; pointing that
     * pool at this data directory first lets a later stack in the same JVM use its own directory.
     */
    private static void useDatabase(String url) {
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        ConnectionPoolSettings settings = pools.singleton$default$4();
        pools.singleton(url, "", "", settings, pools.singleton$default$5(url, "", "", settings));
    }

    private static void releaseDatabase() {
        ConnectionPool$.MODULE$.closeAll();
        PERSISTENT_RUNNING.set(false);
    }

    /** Re-creates the stored queues and their messages; waits, so provisioning sees them. */
    private static void restore(ActorRef store, ActorRef queueManager) {
        Object result = Patterns.ask(store, new QueueEvent.Restore(queueManager), TIMEOUT)
                .toCompletableFuture().orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (result instanceof Either<?, ?> either && either.isLeft()) {
            throw new IllegalStateException("stored queues could not be restored: " + either);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Whether queues and messages survive a restart on the same data directory. */
    public boolean persistent() {
        return persistent;
    }

    @Override
    public void close() {
        try {
            FutureConverters.asJava(binding.terminate(STOP_DEADLINE)).toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminate(system);
        if (persistent) {
            releaseDatabase();
        }
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }
}
