//! The `redgrid` command: parse the configuration, set up logging, then serve or
//! manage tokens.

use std::process::ExitCode;

use clap::Parser;
use redgrid::auth::Role;
use redgrid::config::{
    AuditCommand, Cli, Command, GenDemoCommand, LogFormat, ServeConfig, TokenCommand,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = match cli.command {
        Command::Serve(config) => serve(config),
        Command::Token(TokenCommand::Create {
            role,
            tokens_file,
            database_url,
            label,
        }) => create_token(
            role,
            tokens_file.as_deref(),
            database_url.as_deref(),
            &label,
        ),
        Command::Audit(AuditCommand::Revert {
            id,
            database_url,
            actor,
        }) => revert(id, &database_url, &actor),
        Command::Coverage(args) => redgrid::coverage_report(&args).and_then(|body| {
            use std::io::Write;
            match &args.out {
                Some(path) => std::fs::write(path, body)
                    .map_err(|e| format!("cannot write {}: {e}", path.display())),
                None => std::io::stdout()
                    .write_all(&body)
                    .map_err(|e| format!("cannot write the report: {e}")),
            }
        }),
        Command::ExportPmtiles(args) => redgrid::export_pmtiles(&args).map(|w| {
            let zooms: Vec<String> = w
                .per_zoom
                .iter()
                .map(|(z, n)| format!("z{z} {n}"))
                .collect();
            eprintln!(
                "wrote {} tiles to {} ({}); largest {} bytes before gzip",
                w.tiles,
                args.out.display(),
                zooms.join(", "),
                w.largest_bytes
            );
        }),
        Command::Import(args) => import(&args),
        Command::GenDemo(GenDemoCommand::Network {
            seed,
            data,
            sources,
            out,
        }) => gen_network(seed, &data, &sources, &out),
        Command::GenDemo(GenDemoCommand::District {
            seed,
            data,
            sources,
        }) => gen_district(seed, &data, &sources),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Log lines to standard error, `info` and up unless `RUST_LOG` says otherwise; as
/// JSON objects (timestamp, level, target, message and fields) when asked.
fn init_logging(format: LogFormat) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
}

fn gen_network(
    seed: u64,
    data: &std::path::Path,
    sources: &std::path::Path,
    out: &std::path::Path,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    let generated =
        redgrid::demo::network::generate(data, sources, seed).map_err(|e| e.to_string())?;
    std::fs::write(out, &generated.geojson)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s: {:?}",
        out.display(),
        generated.geojson.len(),
        started.elapsed().as_secs_f64(),
        generated.stats
    );
    Ok(())
}

fn gen_district(
    seed: u64,
    data: &std::path::Path,
    sources: &std::path::Path,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    let generated =
        redgrid::demo::district::generate(data, sources, seed).map_err(|e| e.to_string())?;
    for (name, text) in &generated.files {
        let path = data.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!(
        "wrote {} files to {} in {:.1} s: {:#?}",
        generated.files.len(),
        data.display(),
        started.elapsed().as_secs_f64(),
        generated.stats
    );
    Ok(())
}

fn create_token(
    role: Role,
    tokens_file: Option<&std::path::Path>,
    database_url: Option<&str>,
    label: &str,
) -> Result<(), String> {
    let (token, place) = match (tokens_file, database_url) {
        (Some(file), _) => (
            redgrid::auth::append_token(file, role, label).map_err(|e| e.to_string())?,
            file.display().to_string(),
        ),
        (None, Some(url)) => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let token = runtime.block_on(async {
                let pool = redgrid::store::postgis::open(url).await?;
                redgrid::store::postgis::create_token(&pool, role, label).await
            });
            (token.map_err(|e| e.to_string())?, "the database".to_owned())
        }
        (None, None) => return Err("give --tokens-file or --database-url".to_owned()),
    };
    eprintln!(
        "created a {} token in {place}; it is shown once:",
        role.as_str()
    );
    println!("{token}");
    Ok(())
}

fn revert(id: i64, database_url: &str, actor: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let pool = redgrid::store::postgis::open(database_url)
            .await
            .map_err(|e| e.to_string())?;
        let written = redgrid::store::postgis::edit::revert(&pool, id, actor)
            .await
            .map_err(|e| format!("not reverted: {e}"))?;
        println!(
            "reverted audit entry {id} as entry {}; data version {}",
            written.audit_id, written.data_version
        );
        Ok(())
    })
}

fn import(args: &redgrid::config::ImportArgs) -> Result<(), String> {
    use redgrid::store::postgis;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let started = std::time::Instant::now();
        let pool = postgis::open(&args.database_url)
            .await
            .map_err(|e| e.to_string())?;
        let options = postgis::import::Options {
            mode: args.mode,
            crs: args.crs,
            encoding: args.encoding,
            topology_tolerance_m2: args.topology_tolerance_m2,
            dry_run: args.dry_run,
            ..Default::default()
        };
        let inputs = postgis::import::inputs(&args.paths, args.layer.as_deref())
            .map_err(|e| format!("nothing was imported: {e}"))?;
        let imported = postgis::import::import_inputs(&pool, inputs, options)
            .await
            .map_err(|e| format!("nothing was imported: {e}"))?;
        for p in &imported.reported {
            eprintln!("kept, within the tolerance: {p}");
        }
        let changes = imported.changes;
        for c in &changes {
            println!(
                "{}: {} added, {} changed, {} removed, {} unchanged; data version {}",
                c.layer, c.added, c.changed, c.removed, c.unchanged, c.data_version
            );
        }
        if imported.unplaced > 0 {
            println!(
                "sites: {} without coordinates put on the unplaced list, to be placed on the map",
                imported.unplaced
            );
        }
        eprintln!(
            "{} {} layers in {:.1} s",
            if args.dry_run {
                "dry run, nothing written:"
            } else {
                "imported"
            },
            changes.len(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    })
}

fn serve(config: ServeConfig) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let started = std::time::Instant::now();
        let mut state = redgrid::open_state(&config)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(source) = &config.basemap {
            let basemap = redgrid::basemap::open(source, config.basemap_crs).await?;
            tracing::info!(?basemap, "basemap");
            state = state.with_basemap(basemap);
        }
        tracing::info!(
            backend = state.store.backend(),
            data = %match config.database_url {
                Some(_) => "the database".to_owned(),
                None => config.data.display().to_string(),
            },
            profile = ?config.profile,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "data loaded"
        );
        let lattices = state.clone();
        std::thread::spawn(move || lattices.prepare_isochrone_lattices());
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| {
                format!(
                    "cannot listen on {}: {e} (--listen / REDGRID_LISTEN)",
                    config.listen
                )
            })?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        tracing::info!("serving on http://{address}");
        let app = if state.store.pool().is_some() {
            let live = redgrid::http::live::LiveApp::new(state);
            live.spawn_listener();
            live.router()
        } else {
            redgrid::app(state)
        };
        let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })
}

/// Ctrl-C or SIGTERM: stop accepting, finish in-flight requests, exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
