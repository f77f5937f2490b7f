package dev.vigil.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a real server, for the two ways a server fails: {@link
 * State#DOWN} closes every connection and refuses new ones (a stopped process), {@link
 * State#FROZEN} accepts connections and holds every byte without answering (a stopped JVM, a full
 * GC, a hung node). {@link State#OPEN} forwards again — held bytes included.
 */
public final class GateProxy implements AutoCloseable {
  public enum State {
    OPEN,
    DOWN,
    FROZEN
  }

  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile State state = State.OPEN;
  private volatile ServerSocket server;
  private volatile boolean closed;

  public GateProxy(URI upstream) throws IOException {
    this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
    ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = first.getLocalPort();
    listen(first);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public synchronized void set(State next) throws IOException {
    if (next == state) {
      return;
    }
    if (next == State.DOWN) {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    } else if (state == State.DOWN) {
      listen(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
    }
    state = next;
    notifyAll();
  }

  private void listen(ServerSocket socket) {
    server = socket;
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  connect(socket.accept());
                } catch (IOException e) {
                  // closed: DOWN or close()
                }
              }
            },
            "gate-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void connect(Socket client) throws IOException {
    Socket target = new Socket();
    target.connect(upstream, 5000);
    sockets.add(client);
    sockets.add(target);
    pump(client, target);
    pump(target, client);
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[65536];
              try (from;
                  to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  passWhenOpen();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (SocketException e) {
                // closed by the other direction or DOWN
              } catch (IOException | InterruptedException e) {
                // the connection ends
              } finally {
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "gate-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void passWhenOpen() throws InterruptedException, IOException {
    while (state == State.FROZEN && !closed) {
      wait();
    }
    if (state == State.DOWN || closed) {
      throw new SocketException("gate down");
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
