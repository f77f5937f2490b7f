package dev.vigil.parts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration files of the test node's daemons, written under its state dir. Each setting
 * that differs from the daemon's default says why.
 */
final class NodeFiles {
  private NodeFiles() {}

  static Path containerd(Path base, Path socket, String sandboxImage) throws IOException {
    return write(
        base.resolve("containerd.toml"),
        """
        version = 2
        root = "%1$s/containerd/root"
        state = "%1$s/containerd/state"
        [grpc]
          address = "%2$s"
        [plugins."io.containerd.grpc.v1.cri"]
          # Built from pause.c by ensure-node-parts.sh and imported: there is no registry to pull from.
          sandbox_image = "%3$s"
          # runc cannot set the sandbox's oom_score_adj below the caller's here; this clamps it.
          restrict_oom_score_adj = true
          disable_apparmor = true
          # Network namespaces under the node dir, so teardown finds every one.
          netns_mounts_under_state_dir = true
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%1$s/cni"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                # No systemd on these machines: the kubelet and runc manage cgroups directly.
                SystemdCgroup = false
        """
            .formatted(base, socket, sandboxImage));
  }

  /** The pod network: the node's bridge, addresses from its range, no masquerade. */
  static Path cni(Path base) throws IOException {
    Files.createDirectories(base.resolve("cni"));
    return write(
        base.resolve("cni/10-vigil.conflist"),
        """
        {
          "cniVersion": "1.0.0",
          "name": "vigil",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%2$s",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "dataDir": "%1$s/cni-ipam",
                "ranges": [[{"subnet": "%3$s", "gateway": "%4$s"}]],
                "routes": [{"dst": "0.0.0.0/0"}]
              }
            },
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """
            .formatted(base, KubeNode.BRIDGE, KubeNode.POD_CIDR, KubeNode.NODE_IP));
  }

  static Path kubelet(Path base, Path containerdSocket, int port) throws IOException {
    return write(
        base.resolve("kubelet.yaml"),
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        containerRuntimeEndpoint: unix://%2$s
        address: %3$s
        port: %4$d
        readOnlyPort: 0
        # The API server reaches the kubelet (logs, exec) without a client certificate; the port is on
        # the node's bridge only, never routed off the host.
        authentication:
          anonymous: {enabled: true}
          webhook: {enabled: false}
        authorization: {mode: AlwaysAllow}
        # These machines have v1 cgroup controllers (plus an unused unified mount) and no systemd.
        cgroupDriver: cgroupfs
        failCgroupV1: false
        failSwapOn: false
        podLogsDir: %1$s/pod-logs
        # Images are imported, not pulled: never collect them, and do not evict for a busy disk.
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard:
          memory.available: 100Mi
          nodefs.available: "1%%"
          imagefs.available: "1%%"
        serializeImagePulls: false
        """
            .formatted(base, containerdSocket, KubeNode.NODE_IP, port));
  }

  static Path proxy(Path base, Path kubeconfig, int healthzPort, int metricsPort)
      throws IOException {
    return write(
        base.resolve("kube-proxy.yaml"),
        """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        clientConnection: {kubeconfig: %1$s}
        hostnameOverride: %2$s
        mode: iptables
        clusterCIDR: %3$s
        healthzBindAddress: 127.0.0.1:%4$d
        metricsBindAddress: 127.0.0.1:%5$d
        # Leave the host's conntrack settings alone.
        conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
        """
            .formatted(
                kubeconfig, KubeNode.NODE_NAME, KubeNode.POD_CIDR, healthzPort, metricsPort));
  }

  private static Path write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    return file;
  }
}
